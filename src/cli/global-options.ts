/**
 * az accepts its global options anywhere on the line (`az -o tsv group list`,
 * `az group -o tsv list`, `az group list -o tsv`). Keyless's commands take
 * them on the leaf command, so the line is rearranged before parsing: each
 * global option met before the leaf's own arguments (with its value) moves
 * to the end of the line. Nothing after a `--` moves: `keyless run --as X --
 * cmd -o json` passes the command's own flags through untouched.
 */

/** Global options and whether each takes a value. */
const GLOBAL_OPTIONS: ReadonlyMap<string, boolean> = new Map([
  ['-o', true],
  ['--output', true],
  ['--query', true],
  ['--data', true],
  ['--only-show-errors', false],
]);

/** `argv` as node gives it (node, script, arguments…), with the global options moved after the command's words. */
export function hoistGlobalOptions(argv: readonly string[]): string[] {
  const head = argv.slice(0, 2);
  const args = argv.slice(2);
  const end = args.indexOf('--');
  const before = end === -1 ? args : args.slice(0, end);
  const after = end === -1 ? [] : args.slice(end);
  const kept: string[] = [];
  const moved: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const arg = before[i] as string;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const takesValue = GLOBAL_OPTIONS.get(name);
    // Only until the command's words are over: `up` and `model serve` have a --data of their own, in place already.
    if (takesValue === undefined || !beforeLeafArguments(kept)) {
      kept.push(arg);
      continue;
    }
    moved.push(arg);
    if (takesValue && name === arg && i + 1 < before.length) moved.push(before[++i] as string);
  }
  return [...head, ...kept, ...moved, ...after];
}

/** True while only command words (no option yet) have been kept: a global option there would reach a noun, which has none. */
function beforeLeafArguments(kept: readonly string[]): boolean {
  return kept.every((word) => !word.startsWith('-'));
}
