import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ArmAccess, armCall, armDialect } from '../arm/index.js';
import { useErrorDialect } from '../http/index.js';
import { listAuditRecords } from './audit-records.js';
import { advanceClock, resumeClock, setClock, showClock } from './clock.js';
import { clusterStatus } from './cluster-status.js';
import { endDrill, startDrill } from './drills.js';
import { readPosture } from './posture.js';
import { addFault, clearFaults, listFaults } from './faults.js';
import type { AdminDeps, AdminOperation } from './context.js';
import { rotateSigningKeys } from './signing-keys.js';
import { issueWorkloadToken } from './workload-tokens.js';
import { issueSignInCode } from './sign-in-codes.js';

export type { AdminDeps } from './context.js';

const BASE = '/subscriptions/:subscription/providers/Keyless';

/** Keyless's operator APIs, by method and path (paths compare in any case, as every route on the port). */
const OPERATIONS: readonly { method: 'GET' | 'POST'; path: string; operation: AdminOperation }[] = [
  { method: 'GET', path: `${BASE}/auditRecords`, operation: listAuditRecords },
  { method: 'GET', path: `${BASE}/cluster`, operation: clusterStatus },
  { method: 'GET', path: `${BASE}/posture`, operation: readPosture },
  { method: 'POST', path: `${BASE}/drills/start`, operation: startDrill },
  { method: 'POST', path: `${BASE}/drills/end`, operation: endDrill },
  { method: 'GET', path: `${BASE}/clock`, operation: showClock },
  { method: 'POST', path: `${BASE}/clock/advance`, operation: advanceClock },
  { method: 'POST', path: `${BASE}/clock/set`, operation: setClock },
  { method: 'POST', path: `${BASE}/clock/resume`, operation: resumeClock },
  { method: 'GET', path: `${BASE}/faults`, operation: listFaults },
  { method: 'POST', path: `${BASE}/faults`, operation: addFault },
  { method: 'POST', path: `${BASE}/faults/clear`, operation: clearFaults },
  { method: 'POST', path: `${BASE}/signingKeys/rotate`, operation: rotateSigningKeys },
  { method: 'POST', path: `${BASE}/workloadTokens/issue`, operation: issueWorkloadToken },
  { method: 'POST', path: `${BASE}/signInCodes`, operation: issueSignInCode },
];

/**
 * The admin router (hydra's public/admin split): Keyless's own operations,
 * kept out of the ARM router. They keep the paths under ARM's subscription
 * that the CLI calls, and so ARM's pipeline (bearer token, api-version) and
 * its error dialect; each authorizes its own action. Any other method on these
 * paths is the ARM router's (which answers 405, as before).
 */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  useErrorDialect(app, armDialect);
  const access = new ArmAccess(deps, deps.recorder);
  for (const { method, path, operation } of OPERATIONS) {
    // No implicit HEAD: a HEAD on these paths stays ARM's 405.
    app.route({
      method,
      url: path,
      exposeHeadRoute: false,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const call = armCall(request, reply, deps);
        if ('subscription' in call.target) access.checkSubscription(call.target.subscription);
        return operation(call, deps, access);
      },
    });
  }
}
