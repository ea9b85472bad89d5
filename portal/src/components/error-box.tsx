import { ApiError } from '../errors.js';

/** An API's error as the Azure portal shows one: the code, then the message. */
export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const code = error instanceof ApiError ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <strong class="error-code">{code}</strong>
      <span class="error-message">{message}</span>
    </div>
  );
}
