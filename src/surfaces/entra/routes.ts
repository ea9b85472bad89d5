import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DenialExplanation } from '../../audit/index.js';
import { explainClientFailure } from './denial-explanation.js';
import { ClientAuthenticationError } from '../../directory/index.js';
import { WORKLOAD_ISSUER_PATH } from '../../tokens/index.js';
import { adfsConfiguration, openIdConfiguration } from './discovery.js';
import { EntraError, entraDialectOn, entraErrors } from './errors.js';
import { drillMarker, FormBody, useErrorDialect } from '../http/index.js';
import { parseTokenRequest, type TokenEndpointVersion } from './token-request.js';
import { clientAuthenticationToEntra } from './client-errors.js';
import { GRANTS } from './grants/index.js';
import type { EntraDeps } from './deps.js';
import type { AuditDecision } from '../../audit/index.js';
import { describeEffect } from '../../faults/index.js';
import { dropConnection } from '../http/index.js';
import { injectedEntraError } from './injected.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** AADSTS50196, the throttling answer: audited where it is decided, not again on the way out. */
const THROTTLED = 50196;

export type { EntraDeps } from './deps.js';

/** Tenants Entra accepts in discovery besides the tenant id. */
const DISCOVERY_ALIASES = new Set(['common', 'organizations']);

/**
 * The authority in Entra's dialect: discovery (v1, v2, ADFS), keys, the
 * token endpoints, and the built-in workload issuer. Each token request is a
 * short list of steps: tenant → parse → grant (authenticate the client,
 * check the resource, issue) → audit.
 */
export function registerEntraRoutes(app: FastifyInstance, deps: EntraDeps): void {
  const tenantOf = (request: FastifyRequest): string => (request.params as { tenant: string }).tenant;
  const isTenant = (tenant: string): boolean => tenant.toLowerCase() === deps.tenantId().toLowerCase();
  const checkTenant = (tenant: string): void => {
    if (!isTenant(tenant)) throw entraErrors.tenantNotFound(tenant);
  };
  const origin = (request: FastifyRequest): string => deps.names.originFor(request.headers.host);

  app.get('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => discovery(request, reply, 'v2'));
  app.get('/:tenant/.well-known/openid-configuration', async (request, reply) => discovery(request, reply, 'v1'));
  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys']) {
    app.get(path, async (request, reply) => {
      const tenant = tenantOf(request);
      if (!DISCOVERY_ALIASES.has(tenant.toLowerCase()) && tenant !== 'adfs') checkTenant(tenant);
      return reply.header('cache-control', 'max-age=86400, private').send({ keys: deps.keyring.jwks() });
    });
  }
  // ADFS: MSAL knows it needs no instance discovery, so AZURE_TENANT_ID=adfs keeps every client on Keyless.
  app.get('/adfs/.well-known/openid-configuration', async (request, reply) => reply.send(adfsConfiguration(origin(request))));
  app.post('/adfs/oauth2/token', async (request, reply) => token(request, reply, 'adfs', deps.tenantId()));
  app.post('/:tenant/oauth2/v2.0/token', async (request, reply) => token(request, reply, 'v2', tenantOf(request)));
  app.post('/:tenant/oauth2/token', async (request, reply) => token(request, reply, 'v1', tenantOf(request)));

  app.get(`${WORKLOAD_ISSUER_PATH}/.well-known/openid-configuration`, async (_request, reply) => reply.send(deps.workload.discovery()));
  app.get(`${WORKLOAD_ISSUER_PATH}/openid/v1/jwks`, async (_request, reply) => reply.send(deps.workload.jwks()));

  useErrorDialect(app, entraDialectOn(deps.now));

  async function discovery(request: FastifyRequest, reply: FastifyReply, version: 'v1' | 'v2') {
    const tenant = tenantOf(request);
    if (DISCOVERY_ALIASES.has(tenant.toLowerCase())) return reply.send(openIdConfiguration(origin(request), tenant.toLowerCase(), version, '{tenantid}'));
    checkTenant(tenant);
    return reply.send(openIdConfiguration(origin(request), deps.tenantId(), version));
  }

  async function token(request: FastifyRequest, reply: FastifyReply, version: TokenEndpointVersion, tenant: string) {
    checkTenant(tenant);
    // Only a form has parameters (any other body reads as none, as in Entra), and each may be given once.
    const form = request.body instanceof FormBody ? request.body : FormBody.EMPTY;
    if (form.duplicate !== undefined) throw entraErrors.duplicateParameter(form.duplicate);
    const parsed = parseTokenRequest(form.params, request.headers.authorization, version);
    const grant = GRANTS.get(parsed.grantType);
    if (!grant) throw entraErrors.unsupportedGrant(parsed.grantType);
    const fault = deps.isOperator(parsed.clientId) ? undefined : deps.faults.take('token', undefined, parsed.clientId, undefined);
    if (fault !== undefined) {
      audit(request, deps.clients.principalId(parsed.clientId), 'injected', `fault ${fault.id}: ${describeEffect(fault.effect)}`);
      if (fault.effect.kind === 'dropConnection') return dropConnection(request, reply);
      if (fault.effect.kind === 'delay') await sleep(fault.effect.delayMs);
      else throw injectedEntraError(fault, parsed.clientId, tenant) ?? entraErrors.internal();
    }
    // Only an authenticated client is counted, so that nobody who merely knows a client id can use up its limits
    // (failed attempts cost one keyed digest or one signature check, and each is audited).
    let admitted: string | undefined;
    const admit = (principalId: string): void => {
      if (!deps.throttle) return;
      if (!deps.throttle.admit(principalId)) {
        audit(request, principalId, 'denied', 'throttled');
        throw entraErrors.throttled();
      }
      admitted = principalId;
    };
    try {
      const { body: answer, principal, how, note } = await grant.handle({ request: parsed, version, tenant, origin: origin(request), deps, admit });
      audit(request, principal.objectId, 'allowed', `${how} for ${parsed.resource}${note ? `, ${note}` : ''}`);
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
    } catch (error) {
      if (error instanceof ClientAuthenticationError) {
        const why = typeof error.details?.['reason'] === 'string' ? ` (${error.details['reason']})` : '';
        audit(request, deps.clients.principalId(parsed.clientId), 'denied', `client ${parsed.clientId}: ${error.failure}${why}`, explainClientFailure(error));
        throw clientAuthenticationToEntra(error, tenant);
      }
      if (error instanceof EntraError && error.aadsts !== THROTTLED) audit(request, deps.clients.principalId(parsed.clientId), 'denied', `AADSTS${error.aadsts}`);
      throw error;
    } finally {
      if (admitted !== undefined) deps.throttle?.release(admitted);
    }
  }

  function audit(request: FastifyRequest, principalId: string | null, decision: AuditDecision, reason: string, explained?: DenialExplanation): void {
    const operation = `POST ${request.url.split('?')[0] ?? ''}`;
    if (explained !== undefined) {
      deps.audit.recordDenial('entra', operation, null, principalId, principalId === null ? null : 'ServicePrincipal', null, reason, request.id, explained, drillMarker(request.headers));
      return;
    }
    deps.audit.record('entra', operation, null, principalId, principalId === null ? null : 'ServicePrincipal', null, decision, reason, request.id, undefined, undefined, drillMarker(request.headers));
  }
}
