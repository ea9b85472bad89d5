import { createProgram } from './cli/program.js';

/** Entry point of the `keyless` executable. */
await createProgram().parseAsync(process.argv);
