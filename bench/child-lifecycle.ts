/**
 * How a benchmark's child server ends: on SIGTERM/SIGINT, or (with
 * --exit-with-stdin) when the benchmark that holds its stdin goes away, and
 * never more than a second after being asked.
 */
export function stopWhenAsked(close: () => Promise<unknown> | void): void {
  const stop = (): void => {
    void Promise.resolve(close()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.argv.includes('--exit-with-stdin')) {
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}
