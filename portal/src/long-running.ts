import { call, callWithHeaders, pick, str, type Json } from './api.js';
import { ApiError } from './errors.js';

/**
 * PUTs and DELETEs as the CLI sends them (src/cli/long-running.ts): when Keyless runs with
 * --async-operations the answer is an `Azure-AsyncOperation` to poll, and a failure there is the action's,
 * shown like any other error rather than lost.
 */
export async function putAndWait(path: string, apiVersion: string, body: unknown): Promise<Json> {
  const answer = await callWithHeaders('PUT', path, apiVersion, body);
  if (!(await waitFor(answer.headers))) return answer.body;
  return call('GET', path, apiVersion);
}

export async function deleteAndWait(path: string, apiVersion: string): Promise<void> {
  await waitFor((await callWithHeaders('DELETE', path, apiVersion)).headers);
}

/** Polls the operation until it ends (Retry-After, or 1 s); false when the answer was synchronous. */
async function waitFor(headers: Headers): Promise<boolean> {
  const operation = headers.get('azure-asyncoperation');
  if (operation === null || operation === '') return false;
  // Polled on this origin: the session's token is never sent anywhere else.
  const url = new URL(operation, location.origin);
  const path = `${url.pathname}${url.search}`;
  for (;;) {
    const answer = await callWithHeaders('GET', path, undefined);
    const status = str(answer.body['status']);
    if (/^succeeded$/i.test(status)) return true;
    if (/^(failed|canceled|cancelled)$/i.test(status)) {
      throw new ApiError(200, str(pick(answer.body, 'error', 'code')) || status, str(pick(answer.body, 'error', 'message')) || `The operation ended ${status}.`);
    }
    const seconds = Number(answer.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000));
  }
}
