import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { useErrorDialect } from '../http/index.js';
import { ArmAccess, armCall } from './call.js';
import { armDialect } from './errors.js';
import { registerCloudMetadata } from './cloud-metadata.js';
import { acceptEmptyJson } from './empty-json.js';
import { federatedCredentials, ficTarget } from './federated-credentials.js';
import type { ArmDeps, ArmHandler, ArmHandlerContext } from './handlers/context.js';
import { ARM_HANDLERS } from './handlers/table.js';
import type { ArmTarget } from './path.js';

export type { ArmDeps } from './handlers/context.js';

/**
 * The control plane in Azure Resource Manager's dialect. Steps: the request
 * pipeline (authenticate → api-version → path, `call.ts`) → the handler for
 * the target's kind (`handlers/table.ts`), which authorizes, acts and renders.
 * Keyless's operator APIs under the same paths are the admin router's (`surfaces/admin/`).
 */
export function registerArmRoutes(app: FastifyInstance, deps: ArmDeps): void {
  useErrorDialect(app, armDialect);
  acceptEmptyJson(app);
  const context: ArmHandlerContext = { deps, access: new ArmAccess(deps, deps.audit) };
  for (const path of ['/subscriptions', '/subscriptions/*', '/providers', '/providers/*']) app.all(path, handle);
  // The cloud's metadata (az cloud register): anonymous, outside the request pipeline.
  registerCloudMetadata(app, deps.names);

  async function handle(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const call = armCall(request, reply, deps);
    const fic = ficTarget(call.target);
    if (fic) return federatedCredentials(call, fic, deps, (action, scope) => context.access.authorize(call, action, scope));
    const handler = ARM_HANDLERS[call.target.kind] as ArmHandler<ArmTarget['kind']>;
    return handler(call, call.target as never, context);
  }
}
