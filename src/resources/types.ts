import type { Writer } from '../store/index.js';
import type { DirectoryService } from '../directory/index.js';
import type { KeyService } from '../keys/index.js';
import type { HostSecretService } from './host-secrets.js';
import type { UpstreamService } from '../upstreams/index.js';
import { parseUpstreamSpec } from '../upstreams/index.js';
import type { Resource } from './model.js';
import { RESOURCE_TYPES } from './model.js';
import { resourceErrors } from './errors.js';
import { resolveDeploymentModel } from './deployment-model.js';
import { deploymentSku } from './capacity.js';
import { parseNetworkProperties } from './network-rules.js';

export interface TypeContext {
  readonly directory: DirectoryService;
  readonly keys: KeyService;
  readonly hostSecrets: HostSecretService;
  readonly upstreams: UpstreamService;
  readonly tenantId: string;
}

/** What a PUT/PATCH body contributes, after type-specific validation. */
export interface Prepared {
  readonly kind: string | null;
  readonly sku: Record<string, unknown> | null;
  readonly properties: Record<string, unknown>;
  /** Runs in the writing transaction (create or update), after the resource is built: what the type keeps outside its properties. */
  readonly write?: (ctx: TypeContext, writer: Writer, resource: Resource) => Promise<void>;
}

export interface BodyParts {
  readonly kind: unknown;
  readonly sku: unknown;
  readonly properties: unknown;
}

/** What differs between resource types; the service does the rest the same way for all. */
export interface ResourceTypeHandler {
  readonly type: string;
  readonly parentType: string | undefined;
  readonly hasIdentity: boolean;
  prepare(body: BodyParts, existing: Resource | undefined, mode: 'put' | 'patch', ctx: TypeContext): Prepared;
  /** Runs in the creating transaction; returns properties to add. */
  onCreate(ctx: TypeContext, writer: Writer, resource: Resource): Promise<Record<string, unknown>>;
  /** Runs in the deleting transaction, before the row goes. */
  onDelete(ctx: TypeContext, writer: Writer, resource: Resource): Promise<void>;
}

function objectOrEmpty(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw resourceErrors.invalidContent(`The '${what}' property must be an object.`);
  return value as Record<string, unknown>;
}

function optionalBoolean(properties: Record<string, unknown>, name: string): boolean | undefined {
  const value = properties[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw resourceErrors.invalidContent(`The 'properties.${name}' property must be a boolean.`);
  return value;
}

const nothing = async (): Promise<Record<string, unknown>> => ({});

const userAssignedIdentity: ResourceTypeHandler = {
  type: RESOURCE_TYPES.userAssignedIdentity,
  parentType: undefined,
  hasIdentity: false,
  prepare: (body, existing) => ({ kind: null, sku: null, properties: { ...(existing?.properties ?? {}), isolationScope: 'None' } }),
  async onCreate(ctx, writer, resource) {
    const principal = await ctx.directory.createPrincipal(writer, 'UserAssignedIdentity', resource.name, resource.id);
    return { tenantId: ctx.tenantId, principalId: principal.objectId, clientId: principal.appId };
  },
  async onDelete(ctx, writer, resource) {
    const principalId = resource.properties['principalId'];
    if (typeof principalId === 'string') await ctx.directory.deletePrincipal(writer, principalId);
  },
};

const ACCOUNT_KINDS = ['OpenAI', 'AIServices'];

const account: ResourceTypeHandler = {
  type: RESOURCE_TYPES.account,
  parentType: undefined,
  hasIdentity: true,
  prepare(body, existing, mode) {
    const kind = body.kind ?? existing?.kind ?? undefined;
    if (typeof kind !== 'string' || !ACCOUNT_KINDS.includes(kind)) {
      throw resourceErrors.invalidContent(`The account kind '${String(kind)}' is not supported. Keyless serves kinds: ${ACCOUNT_KINDS.join(', ')}.`);
    }
    if (existing && existing.kind !== kind) throw resourceErrors.conflict('The kind of an existing account cannot be changed.');
    const sku = body.sku === undefined ? (existing?.sku ?? { name: 'S0' }) : objectOrEmpty(body.sku, 'sku');
    if (typeof sku['name'] !== 'string') throw resourceErrors.invalidContent("The 'sku.name' property is required.");
    const given = objectOrEmpty(body.properties, 'properties');
    const base = mode === 'patch' ? { ...(existing?.properties ?? {}) } : {};
    const disableLocalAuth = optionalBoolean(given, 'disableLocalAuth');
    const subdomain = given['customSubDomainName'];
    if (subdomain !== undefined && subdomain !== null && (typeof subdomain !== 'string' || !/^[a-z0-9][a-z0-9-]{1,62}$/i.test(subdomain))) {
      throw resourceErrors.invalidContent("The 'properties.customSubDomainName' property must be 2 to 63 letters, digits and hyphens.");
    }
    const properties: Record<string, unknown> = {
      ...base,
      disableLocalAuth: disableLocalAuth ?? (mode === 'patch' ? (base['disableLocalAuth'] ?? false) : false),
    };
    if (typeof subdomain === 'string') properties['customSubDomainName'] = subdomain;
    else if (existing?.properties['customSubDomainName'] !== undefined) properties['customSubDomainName'] = existing.properties['customSubDomainName'];
    // Network rules: given ones replace the stored ones whole (networkAcls is one value, as in Azure); a PATCH keeps what it does not name.
    const network = parseNetworkProperties(given);
    if (network.publicNetworkAccess !== undefined) properties['publicNetworkAccess'] = network.publicNetworkAccess;
    if (network.networkAcls !== undefined) properties['networkAcls'] = network.networkAcls;
    return { kind, sku, properties };
  },
  async onCreate(ctx, writer, resource) {
    await ctx.keys.createKeys(writer, resource.key);
    return {};
  },
  // Not reached: accounts are soft-deleted (soft-delete.ts keeps them, their deployments and keys; its purge removes them).
  onDelete: async () => undefined,
};

const deployment: ResourceTypeHandler = {
  type: RESOURCE_TYPES.deployment,
  parentType: RESOURCE_TYPES.account,
  hasIdentity: false,
  prepare(body, existing, mode, ctx) {
    const given = objectOrEmpty(body.properties, 'properties');
    const base = mode === 'patch' ? { ...(existing?.properties ?? {}) } : {};
    const model = given['model'] ?? base['model'];
    if (typeof model !== 'object' || model === null || typeof (model as Record<string, unknown>)['name'] !== 'string') {
      throw resourceErrors.invalidContent("The 'properties.model.name' property is required.");
    }
    const m = model as Record<string, unknown>;
    const latency = given['simulatedLatencyMs'] ?? base['simulatedLatencyMs'];
    if (latency !== undefined && (typeof latency !== 'number' || !Number.isInteger(latency) || latency < 0 || latency > 60_000)) {
      throw resourceErrors.invalidContent("The 'properties.simulatedLatencyMs' property must be an integer from 0 to 60000.");
    }
    // A PUT replaces the deployment, upstream included; a PATCH without one keeps it.
    const upstream = parseUpstreamSpec(given['upstream']) ?? (mode === 'put' ? null : undefined);
    const hasUpstream = upstream === undefined ? existing !== undefined && ctx.upstreams.get(existing.key) !== undefined : upstream !== null;
    // A PATCH that leaves the model alone keeps it as stored, even if the catalog no longer lists it.
    const properties: Record<string, unknown> = {
      model: mode === 'patch' && given['model'] === undefined ? m : resolveDeploymentModel(m, hasUpstream),
    };
    if (latency !== undefined) properties['simulatedLatencyMs'] = latency;
    const sku = deploymentSku(body.sku === undefined ? undefined : objectOrEmpty(body.sku, 'sku'), existing);
    const modelName = m['name'] as string;
    return {
      kind: null,
      sku,
      properties,
      write: (ctx, writer, resource) => ctx.upstreams.apply(writer, resource.key, upstream, modelName),
    };
  },
  onCreate: nothing,
  async onDelete(ctx, writer, resource) {
    await ctx.upstreams.remove(writer, resource.key);
  },
};

function host(type: string): ResourceTypeHandler {
  return {
    type,
    parentType: undefined,
    hasIdentity: true,
    prepare(body, existing, mode) {
      const given = objectOrEmpty(body.properties, 'properties');
      const base = mode === 'patch' ? { ...(existing?.properties ?? {}) } : {};
      const kind = typeof body.kind === 'string' ? body.kind : (existing?.kind ?? null);
      return { kind, sku: null, properties: { ...base, ...given } };
    },
    async onCreate(ctx, writer, resource) {
      await ctx.hostSecrets.create(writer, resource.key);
      return {};
    },
    onDelete: async () => undefined,
  };
}

export const HANDLERS: ReadonlyMap<string, ResourceTypeHandler> = new Map(
  [userAssignedIdentity, account, deployment, host(RESOURCE_TYPES.site), host(RESOURCE_TYPES.virtualMachine)].map((h) => [
    h.type.toLowerCase(),
    h,
  ]),
);

export function handlerFor(type: string): ResourceTypeHandler | undefined {
  return HANDLERS.get(type.toLowerCase());
}
