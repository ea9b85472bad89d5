import { createHash } from 'node:crypto';
import type { KeyName } from '../keys/index.js';

/*
 * A fix that is one API call, as data: the method, path, api-version and body
 * a client sends to apply it (the portal's Fix button does). Posture knows no
 * HTTP; these are the public ARM and Graph calls the CLI's fix commands make,
 * with the CLI's api-versions, so the caller's own token is authorized as for
 * any other call.
 */
export interface FixAction {
  /** The call's own id, stable across reports and instances: what `keyless posture --fix ID` names. */
  readonly id: string;
  readonly method: 'PATCH' | 'POST' | 'DELETE';
  /** On the Keyless origin: an ARM id (plus an action), or a Graph path under /v1.0. */
  readonly path: string;
  /** ARM's api-version; null for Graph, which has none. */
  readonly apiVersion: string | null;
  readonly body?: Readonly<Record<string, unknown>>;
  /** What the call changes and what breaks, for a confirmation. */
  readonly summary: string;
}

/** The first 12 hex digits of SHA-256 of `METHOD path-in-lowercase JSON(body)`: the same call has the same id. */
function withId(call: Omit<FixAction, 'id'>): FixAction {
  const id = createHash('sha256').update(`${call.method} ${call.path.toLowerCase()} ${JSON.stringify(call.body ?? null)}`).digest('hex').slice(0, 12);
  return { id, ...call };
}

const COGNITIVE = '2024-10-01';
const AUTHORIZATION = '2022-04-01';
const IDENTITIES = '2023-01-31';

export const disableLocalAuthAction = (accountId: string, name: string): FixAction =>
  withId({
    method: 'PATCH',
    path: accountId,
    apiVersion: COGNITIVE,
    body: { properties: { disableLocalAuth: true } },
    summary: `Sets disableLocalAuth on account '${name}': from then on every call that sends an API key gets 401; only Microsoft Entra tokens are accepted.`,
  });

export const regenerateKeyAction = (accountId: string, name: string, keyName: KeyName): FixAction =>
  withId({
    method: 'POST',
    path: `${accountId}/regenerateKey`,
    apiVersion: COGNITIVE,
    body: { keyName: keyName === 'key1' ? 'Key1' : 'Key2' },
    summary: `Replaces ${keyName} of account '${name}' with a new value: whatever still sends the old ${keyName} gets 401 at once.`,
  });

export const deleteAssignmentAction = (assignmentId: string, what: string): FixAction =>
  withId({
    method: 'DELETE',
    path: assignmentId,
    apiVersion: AUTHORIZATION,
    summary: `Deletes the role assignment (${what}): the principal loses that access at once.`,
  });

export const deleteIdentityAction = (identityId: string, name: string): FixAction =>
  withId({
    method: 'DELETE',
    path: identityId,
    apiVersion: IDENTITIES,
    summary: `Deletes user-assigned identity '${name}' with its federated credentials; its role assignments stay behind as orphans.`,
  });

export const removeSecretAction = (applicationObjectId: string, keyId: string, appName: string): FixAction =>
  withId({
    method: 'POST',
    path: `/v1.0/applications/${applicationObjectId}/removePassword`,
    apiVersion: null,
    body: { keyId },
    summary: `Removes client secret ${keyId} of application '${appName}': whatever signs in with it gets AADSTS7000215 from then on.`,
  });
