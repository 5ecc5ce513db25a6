/**
 * `fraud-infra`: the stacks as one product.
 *   plan                              offline, under Pulumi mocks (the README's main-job command)
 *   preview | up | destroy | outputs  real runs through the Pulumi Automation API
 * Run `fraud-infra --help` for options and exit codes.
 */
import { enableCompileCache, setSourceMapsSupport } from "node:module";
import type * as cli from "./run-cli";

// The provider SDKs are thousands of modules; caching their compiled bytecode between runs saves
// about a sixth of the plan's CPU time. It must be on before they load, hence the require below.
enableCompileCache();
// tsx turns source maps on, and Node then parses the inline map of each of our modules as it loads (about
// a twentieth of the plan's CPU); no message of the command needs them. FRAUD_INFRA_STACK_TRACES=1 keeps
// them for debugging, as it keeps a program's stack traces (tools/offline/run-stack.ts).
if (process.env.FRAUD_INFRA_STACK_TRACES !== "1") setSourceMapsSupport(false);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runCli } = require("./run-cli") as typeof cli;
runCli();
