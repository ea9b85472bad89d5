import { useState } from 'preact/hooks';

/**
 * A panel's API action: `run(fn)` clears the error, marks the panel busy, awaits `fn`, keeps what it throws as
 * `error` (for the panel's ErrorBox: never swallowed), then clears busy; it resolves to whether `fn` succeeded.
 * `run(fn, { busy: false })` leaves `busy` alone, for an action that does not disable the panel's form (a delete
 * confirmed in a dialog). A page with separate panels keeps one useAction per panel, so their errors stay apart.
 */
export function useAction(): {
  busy: boolean;
  error: unknown;
  setError: (error: unknown) => void;
  run: (fn: () => Promise<unknown>, options?: { busy?: boolean }) => Promise<boolean>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = async (fn: () => Promise<unknown>, options: { busy?: boolean } = {}): Promise<boolean> => {
    const marksBusy = options.busy ?? true;
    setError(undefined);
    if (marksBusy) setBusy(true);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      if (marksBusy) setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
