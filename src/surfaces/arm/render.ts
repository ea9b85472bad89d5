import { createHash } from 'node:crypto';
import type { NetworkAcls, Resource, ResourceGroup } from '../../resources/index.js';
import { RESOURCE_TYPES, boundUserPrincipal } from '../../resources/index.js';
import { identityType } from '../../resources/index.js';
import { accountEndpointName } from '../../resources/index.js';
import { idKey } from '../../resources/index.js';
import type { CustomRoleDefinition, RoleAssignment, RoleDefinition } from '../../rbac/index.js';
import type { UpstreamView } from '../../upstreams/index.js';
import { scaleSettingsOf, usesScaleSettings } from '../../resources/index.js';
import { nonEmpty, systemData, tagsField } from './resource-envelope.js';

export interface RenderContext {
  /** The HTTPS origin the caller used, e.g. https://localhost:8443. */
  readonly origin: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly resource: (key: string) => Resource | undefined;
  /** A deployment's upstream as shown (never its key). */
  readonly upstream: (deploymentKey: string) => UpstreamView | undefined;
  /** The request's api-version: deployments answer in their version's shape (scaleSettings before 2023-05-01). */
  readonly apiVersion: string;
  /** `Creating` or `Deleting` while a long-running operation runs on the resource; undefined: Succeeded. */
  readonly provisioningState: (key: string) => string | undefined;
}

/** The account's data-plane base URL: a path per account on the Keyless port (Azure: a subdomain per account). */
export function accountEndpoint(origin: string, account: Resource): string {
  return `${origin}/accounts/${accountSubdomain(account)}/`;
}

export const accountSubdomain = accountEndpointName;

export function renderGroup(group: ResourceGroup): Record<string, unknown> {
  return {
    id: group.id,
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    // ARM leaves tags out of an untagged group (and gives groups no systemData).
    ...(nonEmpty(group.tags) && { tags: group.tags }),
    properties: { provisioningState: 'Succeeded' },
  };
}

export function renderResource(resource: Resource, ctx: RenderContext): Record<string, unknown> {
  const out: Record<string, unknown> = { id: resource.id, name: resource.name, type: resource.type };
  if (resource.parentKey === null) out['location'] = resource.location;
  if (resource.kind !== null) out['kind'] = resource.kind;
  const legacyDeployment = resource.type === RESOURCE_TYPES.deployment && usesScaleSettings(ctx.apiVersion);
  if (resource.sku !== null && !legacyDeployment) out['sku'] = resource.sku;
  const tags = resource.parentKey === null ? tagsField(resource) : undefined;
  if (tags !== undefined) out['tags'] = tags;
  out['properties'] = renderProperties(resource, ctx);
  if (resource.type !== RESOURCE_TYPES.userAssignedIdentity && resource.type !== RESOURCE_TYPES.deployment) {
    out['identity'] = renderIdentity(resource, ctx);
  }
  out['systemData'] = systemData(resource);
  return out;
}

/**
 * A resource as ARM's generic list shows it (GenericResourceExpanded): no
 * `properties`; `$expand` adds `createdTime`, `changedTime` (Keyless keeps
 * no change time: the creation time) and `provisioningState`.
 */
export function renderGenericResource(resource: Resource, ctx: RenderContext, expand: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: resource.id, name: resource.name, type: resource.type, location: resource.location };
  if (resource.kind !== null) out['kind'] = resource.kind;
  if (resource.sku !== null) out['sku'] = resource.sku;
  if (resource.type !== RESOURCE_TYPES.userAssignedIdentity) {
    const identity = renderIdentity(resource, ctx);
    if (identity['type'] !== 'None') out['identity'] = identity;
  }
  const tags = tagsField(resource);
  if (tags !== undefined) out['tags'] = tags;
  if (expand.has('createdtime')) out['createdTime'] = resource.createdAt;
  if (expand.has('changedtime')) out['changedTime'] = resource.createdAt;
  if (expand.has('provisioningstate')) out['provisioningState'] = ctx.provisioningState(resource.key) ?? 'Succeeded';
  return out;
}

function renderProperties(resource: Resource, ctx: RenderContext): Record<string, unknown> {
  const p = resource.properties;
  const provisioningState = ctx.provisioningState(resource.key) ?? 'Succeeded';
  switch (resource.type) {
    case RESOURCE_TYPES.userAssignedIdentity:
      return { isolationScope: 'None', tenantId: p['tenantId'], principalId: p['principalId'], clientId: p['clientId'] };
    case RESOURCE_TYPES.account: {
      const endpoint = accountEndpoint(ctx.origin, resource);
      const out: Record<string, unknown> = {
        endpoint,
        endpoints: { 'OpenAI Language Model Instance API': endpoint, 'Token Endpoint': `${ctx.origin}/${ctx.tenantId}/oauth2/v2.0/token` },
        provisioningState,
        internalId: createHash('sha256').update(idKey(resource.id)).digest('hex').slice(0, 32),
        dateCreated: resource.createdAt,
        disableLocalAuth: p['disableLocalAuth'] === true,
        publicNetworkAccess: p['publicNetworkAccess'] === 'Disabled' ? 'Disabled' : 'Enabled',
      };
      if (p['customSubDomainName'] !== undefined) out['customSubDomainName'] = p['customSubDomainName'];
      const acls = p['networkAcls'] as NetworkAcls | undefined;
      if (acls !== undefined) out['networkAcls'] = renderNetworkAcls(acls);
      return out;
    }
    case RESOURCE_TYPES.deployment: {
      const upstream = ctx.upstream(resource.key);
      const scale = usesScaleSettings(ctx.apiVersion) ? { scaleSettings: scaleSettingsOf(resource.sku) } : {};
      return { ...p, ...scale, ...(upstream && { upstream }), provisioningState };
    }
    case RESOURCE_TYPES.site:
      return { ...p, state: 'Running', enabled: true, defaultHostName: `${resource.name.toLowerCase()}.keyless.local` };
    default:
      return { ...p, provisioningState };
  }
}

/**
 * Azure's networkAcls, in the order Azure answers (an az recording of a GET:
 * `{"defaultAction":"Deny","virtualNetworkRules":[],"ipRules":[{"value":"200.0.0.1"}]}`);
 * an account without rules has no networkAcls at all, and publicNetworkAccess Enabled.
 */
function renderNetworkAcls(acls: NetworkAcls): Record<string, unknown> {
  const out: Record<string, unknown> = { defaultAction: acls.defaultAction };
  if (acls.bypass !== undefined) out['bypass'] = acls.bypass;
  out['virtualNetworkRules'] = [];
  out['ipRules'] = acls.ipRules.map((r) => ({ value: r.value }));
  return out;
}

/** Azure's identity block: type, principalId/tenantId for system-assigned, {principalId, clientId} per user-assigned id. */
export function renderIdentity(resource: Resource, ctx: RenderContext): Record<string, unknown> {
  const state = resource.identity;
  const out: Record<string, unknown> = { type: identityType(state) };
  if (!state) return out;
  if (state.systemPrincipalId !== null) {
    out['principalId'] = state.systemPrincipalId;
    out['tenantId'] = ctx.tenantId;
  }
  if (state.userAssigned.length > 0) {
    const entries: Record<string, unknown> = {};
    for (const id of state.userAssigned) {
      const identity = ctx.resource(idKey(id));
      // A deleted identity stays listed, as in Azure; its ids are then unknown (also once another is created under its id).
      const bound = identity && boundUserPrincipal(state, idKey(id), identity.properties['principalId']);
      entries[id] = bound ? { principalId: bound, clientId: identity.properties['clientId'] } : {};
    }
    out['userAssignedIdentities'] = entries;
  }
  return out;
}

export function renderAssignment(a: RoleAssignment): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.createdOn,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
  };
}

/** A role definition as ARM shows it at a scope: built-ins with Azure's fixed dates, custom roles with their own. */
export function renderRoleDefinition(role: RoleDefinition | CustomRoleDefinition, scopeId: string): Record<string, unknown> {
  const custom = 'createdOn' in role ? role : undefined;
  return {
    id: `${scopeId === '/' ? '' : scopeId}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
    name: role.name,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName,
      type: role.roleType,
      description: role.description,
      assignableScopes: role.assignableScopes,
      permissions: role.permissions,
      createdOn: custom?.createdOn ?? '2015-02-02T21:55:09.8806423Z',
      updatedOn: custom?.updatedOn ?? '2025-01-01T00:00:00.0000000Z',
      createdBy: custom?.createdBy ?? null,
      updatedBy: custom?.updatedBy ?? null,
    },
  };
}
