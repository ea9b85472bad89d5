import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeylessNames } from '../../config/names.js';
import type { TokenService, VerifiedToken } from '../../tokens/service.js';
import type { ResourceService } from '../../resources/service.js';
import type { RoleAssignmentService } from '../../rbac/assignments.js';
import type { ReadModel } from '../../store/read-model.js';
import { groupEntity, resourceEntity } from '../../resources/index.js';
import { groupId, idKey, parseResourceId, subscriptionId as subscriptionIdOf } from '../../resources/arm-id.js';
import { resourceErrors } from '../../resources/errors.js';
import { BUILTIN_ROLES, findRoleDefinition } from '../../rbac/builtin-roles.js';
import { canonicalScope } from '../../rbac/scope.js';
import { ArmError, armErrors, toArmError } from './errors.js';
import { authenticateArm } from './auth.js';
import { parseArmPath, pathSegments, type ArmTarget } from './path.js';
import { renderAssignment, renderGroup, renderResource, renderRoleDefinition, type RenderContext } from './render.js';
import { handlerFor } from '../../resources/types.js';
import { RESOURCE_TYPES } from '../../resources/model.js';
import type { HostSecretService } from '../../resources/host-secrets.js';
import type { AuditLog } from '../../audit/log.js';
import { hostEnvironment } from '../identity-endpoints/environment.js';
import type { SigningKeyRotation } from '../../tokens/rotation.js';
import type { WorkloadIssuer } from '../../tokens/workload-issuer.js';
import { PRIVILEGED_ACTION } from '../../rbac/privileged.js';
import type { CredentialService } from '../../directory/credentials.js';
import { federatedCredentials, ficTarget } from './federated-credentials.js';

export interface ArmDeps {
  readonly names: KeylessNames;
  readonly tenantId: () => string;
  readonly subscriptionId: () => string;
  readonly tokens: TokenService;
  readonly resources: ResourceService;
  readonly rbac: RoleAssignmentService;
  readonly model: ReadModel;
  readonly hostSecrets: HostSecretService;
  readonly audit: AuditLog;
  /** The managed identity listener's base URL, e.g. http://127.0.0.1:8080. */
  readonly identityUrl: () => string;
  readonly rotation: SigningKeyRotation;
  readonly workload: WorkloadIssuer;
  readonly credentials: CredentialService;
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

interface Call {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly caller: VerifiedToken;
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly query: Record<string, string>;
  readonly ctx: RenderContext;
}

/** The control plane in Azure Resource Manager's dialect. Steps: authenticate → api-version → route → authorize → act → render. */
export function registerArmRoutes(app: FastifyInstance, deps: ArmDeps): void {
  app.setErrorHandler((error, request, reply) => {
    const arm = toArmError(error) ?? fastifyError(error);
    if (arm) return reply.code(arm.status).headers(arm.headers).send(arm.body());
    request.log.error({ err: error }, 'unhandled control-plane error');
    return reply.code(500).send({ error: { code: 'InternalServerError', message: 'The server encountered an internal error. Please retry the request.' } });
  });
  for (const path of ['/subscriptions', '/subscriptions/*', '/providers/*']) app.all(path, handle);

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const origin = deps.names.originFor(request.headers.host);
    const caller = authenticateArm(request.headers.authorization, deps.tokens, deps.names.controlPlaneAudiences, `${origin}/`);
    const query = singleValued((request.query ?? {}) as Record<string, string | string[]>);
    const version = query['api-version'];
    if (version === undefined || version === '') throw armErrors.missingApiVersion();
    if (!API_VERSION.test(version)) throw armErrors.invalidApiVersion(version);
    const target = parseArmPath(pathSegments(request.url));
    if (!target) throw armErrors.noRoute(request.method, request.url.split('?')[0] ?? '');
    const body = request.body;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      throw armErrors.invalidContent('The request content was invalid and could not be deserialized: the body must be a JSON object.');
    }
    const ctx: RenderContext = {
      origin,
      tenantId: deps.tenantId(),
      subscriptionId: deps.subscriptionId(),
      resource: (key) => deps.model.table(resourceEntity).get(key),
    };
    const call: Call = { request, reply, caller, method: request.method, body: (body ?? {}) as Record<string, unknown>, query, ctx };
    return dispatch(call, target);
  }

  function authorize(call: Call, action: string, scope: string): void {
    const decision = deps.rbac.authorize(call.caller.objectId, action, 'action', scope);
    if (!decision.allowed) {
      call.request.log.info({ principal: call.caller.objectId, action, scope, reason: decision.reason }, 'control-plane access denied');
      throw armErrors.authorizationFailed(call.caller.objectId, call.caller.appId || call.caller.objectId, action, scope);
    }
  }

  const canRead = (call: Call, action: string, scope: string): boolean =>
    deps.rbac.authorize(call.caller.objectId, action, 'action', scope).allowed;

  function checkSubscription(subscription: string): void {
    if (subscription.toLowerCase() !== deps.subscriptionId().toLowerCase()) throw armErrors.subscriptionNotFound(subscription);
  }

  async function dispatch(call: Call, target: ArmTarget): Promise<unknown> {
    const { reply, method } = call;
    const fic = ficTarget(target);
    if (fic) return federatedCredentials(call, fic, deps, (action, scope) => authorize(call, action, scope));
    switch (target.kind) {
      case 'subscriptions': {
        only(method, 'GET');
        const sub = subscriptionIdOf(deps.subscriptionId());
        return reply.send({ value: canRead(call, 'Microsoft.Resources/subscriptions/read', sub) ? [renderSubscription()] : [] });
      }
      case 'subscription':
        only(method, 'GET');
        checkSubscription(target.subscription);
        authorize(call, 'Microsoft.Resources/subscriptions/read', subscriptionIdOf(deps.subscriptionId()));
        return reply.send(renderSubscription());
      case 'groups': {
        only(method, 'GET');
        checkSubscription(target.subscription);
        const groups = deps.resources.listGroups().filter((g) => canRead(call, 'Microsoft.Resources/subscriptions/resourceGroups/read', g.id));
        return reply.send({ value: groups.map(renderGroup) });
      }
      case 'group':
        checkSubscription(target.subscription);
        return group(call, target.group);
      case 'subscriptionResources': {
        only(method, 'GET');
        checkSubscription(target.subscription);
        if (target.type.toLowerCase() === 'keyless/auditrecords') return auditRecords(call);
        const type = canonicalType(target.type);
        const items = deps.resources.list(type).filter((r) => canRead(call, `${type}/read`, r.id));
        return reply.send({ value: items.map((r) => renderResource(r, call.ctx)) });
      }
      case 'subscriptionAction':
        only(method, 'POST');
        checkSubscription(target.subscription);
        if (target.type.toLowerCase() === 'keyless/signingkeys' && target.action === 'rotate') return rotateSigningKeys(call);
        if (target.type.toLowerCase() === 'keyless/workloadtokens' && target.action === 'issue') return issueWorkloadToken(call);
        throw armErrors.noRoute(call.method, call.request.url);
      case 'resources': {
        only(method, 'GET');
        checkSubscription(target.subscription);
        const type = canonicalType(target.type);
        const items = deps.resources
          .list(type, target.group, target.parentNames)
          .filter((r) => canRead(call, `${type}/read`, r.id));
        return reply.send({ value: items.map((r) => renderResource(r, call.ctx)) });
      }
      case 'resource':
        checkSubscription(target.subscription);
        return resource(call, canonicalType(target.type), target.group, target.names);
      case 'resourceAction':
        checkSubscription(target.subscription);
        return resourceAction(call, canonicalType(target.type), target.group, target.names, target.action);
      case 'roleAssignments':
        return roleAssignments(call, target.scope, target.name);
      case 'roleDefinitions':
        return roleDefinitions(call, target.scope, target.name);
    }
  }

  async function group(call: Call, name: string): Promise<unknown> {
    const id = groupId(deps.subscriptionId(), name);
    switch (call.method) {
      case 'GET':
      case 'HEAD': {
        authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/read', id);
        if (call.method === 'HEAD') {
          return call.reply.code(deps.model.table(groupEntity).has(idKey(id)) ? 204 : 404).send();
        }
        return call.reply.send(renderGroup(deps.resources.getGroup(name)));
      }
      case 'PUT': {
        authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/write', id);
        const { group: g, created } = await deps.resources.putGroup(name, call.body);
        return call.reply.code(created ? 201 : 200).send(renderGroup(g));
      }
      case 'PATCH': {
        authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/write', id);
        const { group: g } = await deps.resources.putGroup(name, { tags: call.body['tags'] }, 'patch');
        return call.reply.send(renderGroup(g));
      }
      case 'DELETE': {
        authorize(call, 'Microsoft.Resources/subscriptions/resourceGroups/delete', id);
        const existed = await deps.resources.deleteGroup(name);
        if (!existed) throw resourceErrors.groupNotFound(name);
        return call.reply.code(200).send();
      }
      default:
        throw armErrors.methodNotAllowed(call.method);
    }
  }

  async function resource(call: Call, type: string, group: string, names: string[]): Promise<unknown> {
    const address = { type, group, names };
    const id = deps.resources.idOf(address);
    switch (call.method) {
      case 'GET':
        authorize(call, `${type}/read`, id);
        return call.reply.send(renderResource(deps.resources.get(address), call.ctx));
      case 'PUT':
      case 'PATCH': {
        authorize(call, `${type}/write`, id);
        authorizeIdentityLinks(call, type);
        const { resource: r, created } = await deps.resources.put(address, call.body, call.method === 'PUT' ? 'put' : 'patch');
        return call.reply.code(created ? 201 : 200).send(renderResource(r, call.ctx));
      }
      case 'DELETE': {
        authorize(call, `${type}/delete`, id);
        const existed = await deps.resources.delete(address);
        return call.reply.code(existed ? 200 : 204).send();
      }
      default:
        throw armErrors.methodNotAllowed(call.method);
    }
  }

  /**
   * Attaching a user-assigned identity also needs the linked `assign/action`
   * on that identity, as in Azure. The block is validated first: a malformed
   * one is a 400, whatever the caller may do.
   */
  function authorizeIdentityLinks(call: Call, type: string): void {
    const request = deps.resources.identityRequestOf(type, call.body);
    for (const entry of request?.userAssignedIdentities?.values() ?? []) {
      if (entry.remove) continue;
      const action = 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action';
      if (!canRead(call, action, entry.id)) {
        throw armErrors.linkedAuthorizationFailed(call.caller.objectId, call.caller.appId || call.caller.objectId, action, entry.id);
      }
    }
  }

  async function resourceAction(call: Call, type: string, group: string, names: string[], action: string): Promise<unknown> {
    only(call.method, 'POST');
    const id = deps.resources.idOf({ type, group, names });
    const name = names[0] ?? '';
    if (action === 'listidentityenvironment' || action === 'rotateidentitysecret') return hostAction(call, type, group, names, action);
    if (type !== 'Microsoft.CognitiveServices/accounts') throw armErrors.noRoute(call.method, call.request.url);
    if (action === 'listkeys') {
      authorize(call, 'Microsoft.CognitiveServices/accounts/listKeys/action', id);
      return call.reply.send(await deps.resources.listKeys(group, name));
    }
    authorize(call, 'Microsoft.CognitiveServices/accounts/regenerateKey/action', id);
    const keyName = call.body['keyName'];
    if (typeof keyName !== 'string') throw armErrors.invalidContent("The 'keyName' property is required: 'Key1' or 'Key2'.");
    return call.reply.send(await deps.resources.regenerateKey(group, name, keyName));
  }

  /** Keyless's host actions: the environment a host's code runs with (its identity secret included), and rotating that secret. */
  async function hostAction(call: Call, type: string, group: string, names: string[], action: string): Promise<unknown> {
    if (type !== RESOURCE_TYPES.site && type !== RESOURCE_TYPES.virtualMachine) throw armErrors.noRoute(call.method, call.request.url);
    const id = deps.resources.idOf({ type, group, names });
    // Authorized on the id before the lookup, so that a caller without the action cannot tell which hosts exist.
    authorize(call, `${type}/${action === 'rotateidentitysecret' ? 'rotateIdentitySecret' : 'listIdentityEnvironment'}/action`, id);
    const host = deps.resources.get({ type, group, names });
    if (action === 'rotateidentitysecret') {
      await deps.hostSecrets.rotate(host.key);
      return call.reply.code(204).send();
    }
    const secret = await deps.hostSecrets.reveal(host.key);
    return call.reply.header('cache-control', 'no-store').send({ variables: hostEnvironment(type, deps.identityUrl(), secret) });
  }

  /** Keyless's audit trail: GET /subscriptions/{s}/providers/Keyless/auditRecords[?since&principalId&denied&top]. */
  async function auditRecords(call: Call): Promise<unknown> {
    authorize(call, 'Keyless/auditRecords/read', subscriptionIdOf(deps.subscriptionId()));
    const q = call.query;
    const top = q['top'] === undefined ? undefined : Number(q['top']);
    if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw armErrors.invalidContent("The 'top' parameter must be a positive integer.");
    if (q['since'] !== undefined && Number.isNaN(Date.parse(q['since']))) throw armErrors.invalidContent("The 'since' parameter must be an ISO-8601 time.");
    const records = await deps.audit.query({
      ...(q['since'] !== undefined ? { since: q['since'] } : {}),
      ...(q['principalId'] !== undefined ? { principalId: q['principalId'] } : {}),
      ...(q['denied'] === 'true' ? { denied: true } : {}),
      ...(top !== undefined ? { limit: top } : {}),
    });
    return call.reply.send({ value: records });
  }

  /** Keyless's signing key rotation: POST /subscriptions/{s}/providers/Keyless/signingKeys/rotate[?emergency=true]. */
  async function rotateSigningKeys(call: Call): Promise<unknown> {
    authorize(call, PRIVILEGED_ACTION, subscriptionIdOf(deps.subscriptionId()));
    const emergency = call.query['emergency'] === 'true';
    const result = await deps.rotation.rotate(emergency);
    call.request.log.warn({ emergency, current: result.current, next: result.next, revoked: result.revoked.length }, 'signing keys rotated');
    return call.reply.send({ emergency, ...result });
  }

  /**
   * Keyless's stand-in for a Kubernetes projected service-account token:
   * POST /subscriptions/{s}/providers/Keyless/workloadTokens/issue {namespace, serviceAccount, audience?, lifetimeSeconds?}.
   */
  async function issueWorkloadToken(call: Call): Promise<unknown> {
    authorize(call, PRIVILEGED_ACTION, subscriptionIdOf(deps.subscriptionId()));
    const { namespace, serviceAccount, audience, lifetimeSeconds } = call.body;
    const dns = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
    if (typeof namespace !== 'string' || !dns.test(namespace) || typeof serviceAccount !== 'string' || !dns.test(serviceAccount)) {
      throw armErrors.invalidContent("'namespace' and 'serviceAccount' must be Kubernetes names (lowercase letters, digits, '-' and '.').");
    }
    if (audience !== undefined && (typeof audience !== 'string' || audience === '')) throw armErrors.invalidContent("'audience' must be a non-empty string.");
    const lifetime = lifetimeSeconds ?? 3600;
    if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 600 || lifetime > 86400) {
      throw armErrors.invalidContent("'lifetimeSeconds' must be an integer from 600 to 86400.");
    }
    const minted = deps.workload.mint({ namespace, serviceAccount, audience: (audience as string | undefined) ?? 'api://AzureADTokenExchange', lifetimeSeconds: lifetime });
    return call.reply.header('cache-control', 'no-store').send({ issuer: deps.workload.issuer, ...minted });
  }

  async function roleAssignments(call: Call, rawScope: string, name: string | undefined): Promise<unknown> {
    const scope = canonicalScope(rawScope);
    if (name === undefined) {
      only(call.method, 'GET');
      checkScope(scope);
      authorize(call, 'Microsoft.Authorization/roleAssignments/read', scope);
      const filter = parseAssignmentFilter(call.query['$filter']);
      const list = deps.rbac.list({ scope, ...filter });
      return call.reply.send({ value: list.map(renderAssignment) });
    }
    const id = `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
    switch (call.method) {
      case 'GET':
        authorize(call, 'Microsoft.Authorization/roleAssignments/read', scope);
        return call.reply.send(renderAssignment(deps.rbac.get(id)));
      case 'PUT': {
        checkScope(scope);
        authorize(call, 'Microsoft.Authorization/roleAssignments/write', scope);
        const properties = call.body['properties'];
        if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
          throw armErrors.invalidContent("The request content was invalid: the 'properties' object is required.");
        }
        const { assignment, created } = await deps.rbac.create(scope, name, properties as Record<string, unknown>, (writer) => deps.resources.checkScopeIn(writer, scope));
        return call.reply.code(created ? 201 : 200).send(renderAssignment(assignment));
      }
      case 'DELETE': {
        authorize(call, 'Microsoft.Authorization/roleAssignments/delete', scope);
        const deleted = await deps.rbac.delete(id);
        return deleted ? call.reply.send(renderAssignment(deleted)) : call.reply.code(204).send();
      }
      default:
        throw armErrors.methodNotAllowed(call.method);
    }
  }

  async function roleDefinitions(call: Call, rawScope: string, name: string | undefined): Promise<unknown> {
    only(call.method, 'GET');
    const scope = canonicalScope(rawScope);
    authorize(call, 'Microsoft.Authorization/roleDefinitions/read', scope === '/' ? subscriptionIdOf(deps.subscriptionId()) : scope);
    if (name !== undefined) {
      const role = findRoleDefinition(name);
      if (!role || role.name.toLowerCase() !== name.toLowerCase()) {
        throw new ArmError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${name}' does not exist.`);
      }
      return call.reply.send(renderRoleDefinition(role, scope));
    }
    const wanted = /^roleName eq '(.+)'$/i.exec(call.query['$filter'] ?? '')?.[1];
    const roles = wanted === undefined ? BUILTIN_ROLES : BUILTIN_ROLES.filter((r) => r.roleName.toLowerCase() === wanted.toLowerCase());
    return call.reply.send({ value: roles.map((r) => renderRoleDefinition(r, scope)) });
  }

  /** A role assignment's scope must exist: our subscription, an existing group, or an existing resource. */
  function checkScope(scope: string): void {
    if (scope === '/') return;
    const parsed = parseResourceId(scope);
    if (!parsed) throw armErrors.invalidContent(`The scope '${scope}' is not a valid scope.`);
    checkSubscription(parsed.subscriptionId);
    if (parsed.resourceGroup === undefined) return;
    if (!deps.model.table(groupEntity).has(idKey(groupId(deps.subscriptionId(), parsed.resourceGroup)))) {
      throw resourceErrors.groupNotFound(parsed.resourceGroup);
    }
    if (parsed.type !== undefined && !deps.model.table(resourceEntity).has(idKey(scope))) {
      throw resourceErrors.resourceNotFound(parsed.type, parsed.names.join('/'), parsed.resourceGroup);
    }
  }

  function renderSubscription(): Record<string, unknown> {
    return {
      id: subscriptionIdOf(deps.subscriptionId()),
      subscriptionId: deps.subscriptionId(),
      tenantId: deps.tenantId(),
      displayName: 'Keyless',
      state: 'Enabled',
      subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Keyless_2026-01-01', spendingLimit: 'Off' },
      authorizationSource: 'RoleBased',
    };
  }
}

function canonicalType(type: string): string {
  const handler = handlerFor(type);
  if (!handler) throw new ArmError(404, 'NoRegisteredProviderFound', `No registered resource provider found for resource type '${type}'. Keyless serves: Microsoft.ManagedIdentity/userAssignedIdentities, Microsoft.CognitiveServices/accounts (and deployments), Microsoft.Web/sites, Microsoft.Compute/virtualMachines.`);
  return handler.type;
}

function only(method: string, allowed: string): void {
  if (method !== allowed) throw armErrors.methodNotAllowed(method);
}

/** The role assignment `$filter`s ARM supports: atScope(), principalId eq '…', assignedTo('…'), and atScope() and …. */
function parseAssignmentFilter(filter: string | undefined): { principalId?: string; atScope?: boolean } {
  if (filter === undefined || filter.trim() === '') return {};
  const out: { principalId?: string; atScope?: boolean } = {};
  for (const clause of filter.split(/\s+and\s+/i)) {
    const c = clause.trim();
    if (/^atScope\(\)$/i.test(c)) out.atScope = true;
    else {
      const principal = /^principalId\s+eq\s+'([^']+)'$/i.exec(c)?.[1] ?? /^assignedTo\('([^']+)'\)$/i.exec(c)?.[1];
      if (!principal) throw new ArmError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported. Supported filters: atScope(), principalId eq '{id}', assignedTo('{id}').`);
      out.principalId = principal;
    }
  }
  return out;
}

/** Fastify's own errors (bad JSON, too large) in ARM's shape. */
function fastifyError(error: unknown): ArmError | undefined {
  const e = error as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ArmError(e.statusCode === 413 ? 413 : 400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${e.message ?? 'bad request'}.`);
  }
  return undefined;
}

/** The query with one value per name: a name given twice is ambiguous, and answered 400 rather than guessed at. */
function singleValued(query: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw armErrors.repeatedQueryParameter(name);
    out[name] = value;
  }
  return out;
}
