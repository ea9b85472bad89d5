import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../directory/index.js';
import type { Resource } from '../../resources/index.js';
import { selectHostIdentity, type DefaultRule, type IdentitySelector, type SelectionFailure } from '../../resources/index.js';
import type { IdentityEndpointDeps } from './context.js';
import { firstQueryValue, identityAudit } from './context.js';
import { IdentityEndpointError } from './errors.js';
import type { AuditDecision, DenialExplanation } from '../../audit/index.js';
import { describeEffect, type FaultStatus } from '../../faults/index.js';
import { dropConnection } from '../http/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { explainSelectionFailure, unknownHostExplanation, unknownResourceExplanation } from './denial-explanation.js';

/** A token as the platform renders its success body. */
export interface IssuedIdentityToken {
  readonly accessToken: string;
  readonly expiresOn: number;
  readonly notBefore: number;
}

/** Only what differs between the hosting platforms; everything else is the pipeline's. */
export interface IdentityPlatform {
  /** Which faults apply (`keyless fault add --surface imds|app-service`). */
  readonly faultSurface: 'imds' | 'app-service';
  /** The audit record's operation, e.g. `GET /msi/token`. */
  readonly operation: string;
  /** The resource type a calling host must be. */
  readonly hostType: string;
  /** Which default identity rule the platform follows. */
  readonly defaultRule: DefaultRule;
  /** The query parameters that name an identity, and what each names. */
  readonly selectors: Readonly<Record<string, 'clientId' | 'objectId' | 'resourceId'>>;
  /** Checks made before the host is known (IMDS's headers); throws the platform's error. */
  readonly screen?: (request: FastifyRequest) => void;
  /** The calling host's secret, as the platform carries it (a header, a path prefix), or undefined. */
  readonly hostSecret: (request: FastifyRequest) => string | undefined;
  /** Throws the platform's error for a missing or unsupported api-version. */
  readonly checkApiVersion: (version: string | undefined) => void;
  readonly errors: {
    unknownHost(secretGiven: boolean): IdentityEndpointError;
    throttled(): IdentityEndpointError;
    noResource(): IdentityEndpointError;
    severalSelectors(names: readonly string[]): IdentityEndpointError;
    selection(failure: SelectionFailure): IdentityEndpointError;
    unknownResource(resource: string, tenantId: string): IdentityEndpointError;
    /** An injected failure's answer, in the platform's body. */
    injected(status: FaultStatus, retryAfterSeconds: number | null, reason: string): IdentityEndpointError;
  };
  /** The success body. `nowSeconds` is the injected clock's. */
  readonly render: (token: IssuedIdentityToken, principal: Principal, resource: string, nowSeconds: number) => Record<string, unknown>;
}

/**
 * One managed identity token request, the same steps on every platform:
 * screen → identify the host → throttle → api-version → resource → pick the
 * identity → known resource → token from the cache (or signed) → audit.
 * Every refusal is audited once, here, and rendered by the scope's error handler.
 */
export function identityTokenPipeline(platform: IdentityPlatform, deps: IdentityEndpointDeps) {
  const selectorNames = Object.keys(platform.selectors);
  return async function issueIdentityToken(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    let hostId: string | null = null;
    let principalId: string | null = null;
    let injected = false;
    let explained: DenialExplanation | undefined;
    const audit = (decision: AuditDecision, reason: string) =>
      identityAudit(deps.audit, request, platform.operation, hostId, principalId, decision, reason, explained);
    try {
      platform.screen?.(request);
      const host = identifyHost(request, (why) => (explained = why));
      hostId = host.id;
      if (deps.throttle && !deps.throttle.admit(host.key)) throw platform.errors.throttled();
      try {
        const query = request.query as Record<string, unknown>;
        platform.checkApiVersion(firstQueryValue(query, 'api-version'));
        const resource = firstQueryValue(query, 'resource');
        if (!resource) throw platform.errors.noResource();
        const principal = pickIdentity(host, query, (why) => (explained = why));
        principalId = principal.objectId;
        const fault = deps.faults.take(platform.faultSurface, host.name, principal.appId, undefined);
        if (fault !== undefined) {
          const reason = `fault ${fault.id}: ${describeEffect(fault.effect)}`;
          audit('injected', reason);
          if (fault.effect.kind === 'delay') await sleep(fault.effect.delayMs);
          else {
            injected = true;
            if (fault.effect.kind === 'dropConnection') return dropConnection(request, reply);
            const status = fault.effect.kind === 'status' ? fault.effect.status : 500;
            throw platform.errors.injected(status, fault.effect.kind === 'status' ? fault.effect.retryAfterSeconds : null, reason);
          }
        }
        if (!deps.knownResources.has(resource)) {
          explained = unknownResourceExplanation(resource);
          throw platform.errors.unknownResource(resource, deps.tenantId());
        }
        const token = deps.tokens.get(principal, resource, deps.origin());
        audit('allowed', `token for ${resource}`);
        return reply.send(platform.render(token, principal, resource, Math.floor(deps.now() / 1000)));
      } finally {
        deps.throttle?.release(host.key);
      }
    } catch (error) {
      if (error instanceof IdentityEndpointError && !injected) audit('denied', error.reason);
      throw error;
    }
  };

  /** The calling host, by its secret; when there is none, `explain` is told why (for the audit) before the platform's error. */
  function identifyHost(request: FastifyRequest, explain: (why: DenialExplanation) => void): Resource {
    const secret = platform.hostSecret(request);
    const hostKey = secret === undefined ? undefined : deps.hostSecrets.identify(secret);
    const host = hostKey === undefined ? undefined : deps.resource(hostKey);
    if (!host || host.type !== platform.hostType) {
      explain(unknownHostExplanation(platform.hostType, secret !== undefined, host !== undefined));
      throw platform.errors.unknownHost(secret !== undefined);
    }
    return host;
  }

  /** The identity the request gets; when none can be chosen, `explain` is told why (for the audit) before the platform's error is thrown. */
  function pickIdentity(host: Resource, query: Record<string, unknown>, explain: (why: DenialExplanation) => void): Principal {
    const given = selectorNames.filter((name) => firstQueryValue(query, name) !== undefined);
    if (given.length > 1) throw platform.errors.severalSelectors(selectorNames);
    const name = given[0];
    const selector: IdentitySelector = name === undefined ? { by: 'default' } : { by: platform.selectors[name] ?? 'clientId', value: firstQueryValue(query, name) ?? '' };
    const selection = selectHostIdentity(host, selector, platform.defaultRule, deps.directory, deps.resource);
    if ('failure' in selection) {
      explain(explainSelectionFailure(host, selector, selection.failure, deps));
      throw platform.errors.selection(selection.failure);
    }
    return selection.principal;
  }
}
