import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import { PRIVILEGED_ACTION } from '../../rbac/index.js';
import { armErrors } from '../arm/index.js';
import type { AdminOperation } from './context.js';

const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Keyless's stand-in for a Kubernetes projected service-account token:
 * POST /subscriptions/{s}/providers/Keyless/workloadTokens/issue {namespace, serviceAccount, audience?, lifetimeSeconds?}.
 */
export const issueWorkloadToken: AdminOperation = async (call, deps, access) => {
  access.authorize(call, PRIVILEGED_ACTION, subscriptionIdOf(deps.subscriptionId()));
  const { namespace, serviceAccount, audience, lifetimeSeconds } = call.body;
  if (typeof namespace !== 'string' || !KUBERNETES_NAME.test(namespace) || typeof serviceAccount !== 'string' || !KUBERNETES_NAME.test(serviceAccount)) {
    throw armErrors.invalidContent("'namespace' and 'serviceAccount' must be Kubernetes names (lowercase letters, digits, '-' and '.').");
  }
  if (audience !== undefined && (typeof audience !== 'string' || audience === '')) throw armErrors.invalidContent("'audience' must be a non-empty string.");
  const lifetime = lifetimeSeconds ?? 3600;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 600 || lifetime > 86400) {
    throw armErrors.invalidContent("'lifetimeSeconds' must be an integer from 600 to 86400.");
  }
  const minted = deps.workload.mint({ namespace, serviceAccount, audience: (audience as string | undefined) ?? 'api://AzureADTokenExchange', lifetimeSeconds: lifetime });
  return call.reply.header('cache-control', 'no-store').send({ issuer: deps.workload.issuer, ...minted });
};
