import { runCommandLine } from './cli/program.js';

/** Entry point of the `keyless` executable. */
await runCommandLine(process.argv);
