import { useState } from 'preact/hooks';

/** Copies a value to the clipboard, and says so (or why not) to assistive technology too. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState<string>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setDone('Copied');
    } catch {
      setDone('Copy failed: select the value and copy it');
    }
  };
  return (
    <span class="copy">
      <button type="button" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        Copy
      </button>
      <span role="status" class="copy-status">
        {done}
      </span>
    </span>
  );
}
