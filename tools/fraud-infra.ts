/**
 * `fraud-infra`: the three stacks as one product.
 *   plan                              offline, under Pulumi mocks (the README's main-job command)
 *   preview | up | destroy | outputs  real runs through the Pulumi Automation API
 * Run `fraud-infra --help` for options and exit codes.
 */
import { enableCompileCache } from "node:module";
import type * as cli from "./run-cli";

// The provider SDKs are thousands of modules; caching their compiled bytecode between runs saves
// about a sixth of the plan's CPU time. It must be on before they load, hence the require below.
enableCompileCache();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runCli } = require("./run-cli") as typeof cli;
runCli();
