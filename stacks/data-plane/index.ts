import { main } from "./program";
export = main;
