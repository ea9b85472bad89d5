import { only, type ArmCall } from '../call.js';
import { armErrors } from '../errors.js';
import { parseGenericFilter } from '../generic-filter.js';
import { renderGenericResource } from '../render.js';
import type { ArmHandler } from './context.js';

const MAX_TOP = 1000;

/**
 * ARM's generic list (`GET /subscriptions/{s}[/resourceGroups/{g}]/resources`,
 * `az resource list`): every top-level resource the caller may read, in
 * Azure's GenericResourceExpanded shape (no `properties`), with `$filter`,
 * `$expand=createdTime,changedTime,provisioningState`, and `$top` pages
 * linked by `nextLink` (a `$skiptoken` holding the offset).
 */
export const listGenericResources: ArmHandler<'genericResources'> = async (call, target, { deps, access }) => {
  only(call.method, 'GET');
  access.checkSubscription(target.subscription);
  const matches = parseGenericFilter(call.query['$filter']);
  const expand = new Set((call.query['$expand'] ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== ''));
  const top = parseTop(call.query['$top']);
  const skip = parseSkipToken(call.query['$skiptoken']);
  const readable = deps.resources.listTopLevel(target.group).filter((r) => matches(r) && access.canRead(call, `${r.type}/read`, r.id));
  const page = top === undefined ? readable.slice(skip) : readable.slice(skip, skip + top);
  const body: Record<string, unknown> = { value: page.map((r) => renderGenericResource(r, call.ctx, expand)) };
  if (top !== undefined && skip + top < readable.length) body['nextLink'] = nextLink(call, skip + top);
  return call.reply.send(body);
};

function parseTop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const top = Number(value);
  if (!/^\d+$/.test(value) || top < 1 || top > MAX_TOP) throw armErrors.invalidTop(value);
  return top;
}

/** The offset a nextLink carries, base64url of `offset:N` (opaque to clients, as ARM's are). */
function parseSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw armErrors.invalidSkipToken();
  return Number(match[1]);
}

/** The same request from the next offset, on the origin the caller used. */
function nextLink(call: ArmCall, offset: number): string {
  const url = new URL(call.request.url, `${call.ctx.origin}/`);
  url.searchParams.set('$skiptoken', Buffer.from(`offset:${offset}`).toString('base64url'));
  return `${call.ctx.origin}${url.pathname.replace(/^\/+/, '/')}${url.search}`;
}

