import { subscriptionId as subscriptionIdOf } from '../../resources/index.js';
import type { AdminOperation } from './context.js';

/** Asking for a sign-in code: any role whose actions match it (Owner's and Contributor's `*`). */
export const SIGN_IN_CODE_ACTION = 'Keyless/signInCodes/action';

/**
 * POST /subscriptions/{s}/providers/Keyless/signInCodes → a one-time sign-in code for the caller's own principal,
 * valid 2 minutes, and the portal link that carries it (`keyless portal`). The code is redeemed at the token
 * endpoint (grant_type=authorization_code, client_id = the caller's app id). It is answered once, never stored in
 * clear, never audited or logged.
 */
export const issueSignInCode: AdminOperation = async (call, deps, access) => {
  access.authorize(call, SIGN_IN_CODE_ACTION, subscriptionIdOf(deps.subscriptionId()));
  const issued = await deps.signIns.issueCode(call.caller.objectId);
  const origin = deps.names.originFor(call.request.headers.host);
  const fragment = new URLSearchParams({ code: issued.value, client_id: call.caller.appId, tenant: deps.tenantId() }).toString();
  return call.reply.header('cache-control', 'no-store').send({
    code: issued.value,
    clientId: call.caller.appId,
    tenantId: deps.tenantId(),
    expiresOn: issued.expiresAt,
    portalUrl: `${origin}/portal/#${fragment}`,
  });
};
