/** Reading `--assignee`: an object id, a client (app) id, or a service principal's display name. */
import { listValue } from './arm.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import { eqFilter, graph } from './graph.js';
import { isGuid } from './role-ref.js';

export interface PrincipalRef {
  /** The object id the role assignments name. */
  readonly objectId: string;
  /** Null when no principal has that id any more (its assignments are orphans). */
  readonly displayName: string | null;
}

/**
 * As az resolves `--assignee`: a GUID is an object id if a principal has it,
 * else a client id; a GUID that is neither is taken as the object id of a
 * deleted principal (whose assignments may still be there); anything else is
 * a display name, which must name exactly one service principal.
 */
export async function resolvePrincipal(ctx: CommandContext, assignee: string): Promise<PrincipalRef> {
  const value = assignee.trim();
  if (isGuid(value)) {
    const byObjectId = listValue(await graph(ctx, 'POST', '/v1.0/directoryObjects/getByIds', { ids: [value], types: ['servicePrincipal'] }))[0];
    if (byObjectId) return refOf(byObjectId);
    const byAppId = listValue(await graph(ctx, 'GET', `/v1.0/servicePrincipals?${eqFilter('appId', value)}`))[0];
    if (byAppId) return refOf(byAppId);
    return { objectId: value.toLowerCase(), displayName: null };
  }
  const named = listValue(await graph(ctx, 'GET', `/v1.0/servicePrincipals?${eqFilter('displayName', value)}`));
  const [only] = named;
  if (only === undefined) throw new CliError(`No service principal is named '${value}'; give its object id or client id.`);
  if (named.length > 1) {
    throw new CliError(`${named.length} service principals are named '${value}' (${named.map((p) => String(p['id'])).join(', ')}); give the object id of one.`);
  }
  return refOf(only);
}

function refOf(principal: Record<string, unknown>): PrincipalRef {
  return { objectId: String(principal['id']).toLowerCase(), displayName: typeof principal['displayName'] === 'string' ? principal['displayName'] : null };
}
