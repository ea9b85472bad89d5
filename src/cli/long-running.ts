/** Long-running operations as az waits for them: poll Azure-AsyncOperation until it ends, unless --no-wait. */
import type { Json } from './arm.js';
import { asObject, pick } from './arm.js';
import type { ArmResult, KeylessClient } from './client.js';
import { CliError } from './errors.js';

/** What `--no-wait` leaves commander with: `wait` is false when it was given. */
export interface WaitFlag {
  readonly wait?: boolean;
}

/**
 * A PUT that may start a long-running operation (keyless up --async-operations):
 * waits for it and answers the resource as it then is, or, with --no-wait,
 * answers nothing (az prints nothing either). A synchronous answer is returned as is.
 */
export async function putAndWait(client: KeylessClient, path: string, apiVersion: string, body: Json, flags: WaitFlag): Promise<Json | undefined> {
  const res = await client.request('PUT', path, apiVersion, body);
  const operation = operationUrl(res);
  if (operation === undefined) return asObject(res.body);
  if (flags.wait === false) return undefined;
  await waitFor(client, operation);
  return asObject((await client.request('GET', path, apiVersion)).body);
}

/** A DELETE that may start a long-running operation: waits for it unless --no-wait. */
export async function deleteAndWait(client: KeylessClient, path: string, apiVersion: string, flags: WaitFlag): Promise<void> {
  const operation = operationUrl(await client.request('DELETE', path, apiVersion));
  if (operation !== undefined && flags.wait !== false) await waitFor(client, operation);
}

/** Polls the operation, waiting what Retry-After says (1 s when it says nothing), until it has ended; a failure is the command's. */
async function waitFor(client: KeylessClient, url: string): Promise<void> {
  for (;;) {
    const res = await client.follow(url);
    const status = String(pick(res.body, 'status') ?? '');
    if (/^succeeded$/i.test(status)) return;
    if (/^(failed|canceled|cancelled)$/i.test(status)) {
      const code = String(pick(res.body, 'error', 'code') ?? status);
      const message = String(pick(res.body, 'error', 'message') ?? `The operation ended ${status}.`);
      throw new CliError(`(${code}) ${message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs(res)));
  }
}

function operationUrl(res: ArmResult): string | undefined {
  const header = res.headers['azure-asyncoperation'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

function retryAfterMs(res: ArmResult): number {
  const seconds = Number(res.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000;
}
