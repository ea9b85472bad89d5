/** The CLI's calls to Keyless's Graph slice: applications and service principals by app id or object id. */
import type { HttpMethod } from './client.js';
import type { Json } from './arm.js';
import { asObject, listValue, pick } from './arm.js';
import type { CommandContext } from './context.js';
import { ArmResponseError, CliError } from './errors.js';
import type { Column } from './output.js';
import { printResult } from './output.js';
import { isGuid } from './role-ref.js';

/** One Graph call through the CLI's client (its `api-version` query parameter is ignored by Graph). */
export async function graph(ctx: CommandContext, method: HttpMethod, url: string, body?: unknown): Promise<Json> {
  const result = asObject((await ctx.client().request(method, url, 'v1.0', body)).body);
  delete result['@odata.context'];
  return result;
}

export const eqFilter = (field: string, value: string): string => `$filter=${encodeURIComponent(`${field} eq '${value.replace(/'/g, "''")}'`)}`;

/** The application behind an app id (or an application object id). */
export const findApplication = (ctx: CommandContext, id: string): Promise<Json> => findByAppId(ctx, 'applications', 'Application', id);

/** The service principal behind an app id (or its object id). */
export const findServicePrincipal = (ctx: CommandContext, id: string): Promise<Json> => findByAppId(ctx, 'servicePrincipals', 'Service principal', id);

/** Looks the id up as an app id first, then, if it is a GUID, as the object's own id (as az does). */
async function findByAppId(ctx: CommandContext, collection: 'applications' | 'servicePrincipals', label: string, id: string): Promise<Json> {
  const found = listValue(await graph(ctx, 'GET', `/v1.0/${collection}?${eqFilter('appId', id)}`))[0];
  if (found) return found;
  if (isGuid(id)) {
    try {
      return await graph(ctx, 'GET', `/v1.0/${collection}/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ArmResponseError && error.status === 404)) throw error;
    }
  }
  throw new CliError(`${label} '${id}' doesn't exist.`);
}

export const appPath = (app: Json): string => `/v1.0/applications/${encodeURIComponent(String(app['id']))}`;
export const keyIds = (app: Json, kind: 'passwordCredentials' | 'keyCredentials'): string[] =>
  (Array.isArray(app[kind]) ? (app[kind] as unknown[]) : []).map((c) => String(pick(c, 'keyId')));

export const print = (ctx: CommandContext, json: Json | Json[], columns: readonly Column<Json>[]): void =>
  printResult(ctx, json, Array.isArray(json) ? json : [json], columns);
