import type { FastifyInstance } from 'fastify';
import type { Fence } from '../../cluster/index.js';
import { createServer, fenceRequests, healthAnswer, type ListenerErrors } from '../http/index.js';
import { registerAppServiceSource } from './app-service.js';
import type { IdentityEndpointDeps } from './context.js';
import { registerImdsSource } from './imds.js';

/**
 * The managed identity port: App Service's endpoint and IMDS, each in a
 * scope of its own (their error envelopes differ). The client libraries
 * retry 404 for up to a minute, so this port never answers 404, and speaks
 * IMDS's dialect outside App Service's path (`server.errors`, from
 * surfaces/listeners.ts). A fenced instance answers 503
 * before any route; `/healthz` says so too.
 */
export async function createIdentityListener(
  server: { readonly logLevel: string; readonly logStream?: NodeJS.WritableStream | undefined; readonly errors: Partial<ListenerErrors> },
  fence: Fence,
  deps: IdentityEndpointDeps,
): Promise<FastifyInstance> {
  const identityServer = createServer({ logLevel: server.logLevel, ...(server.logStream && { logStream: server.logStream }), errors: server.errors });
  fenceRequests(identityServer, fence);
  identityServer.get('/healthz', async (_request, reply) => healthAnswer(reply, fence));
  await identityServer.register(async (scope: FastifyInstance) => registerAppServiceSource(scope, deps));
  await identityServer.register(async (scope: FastifyInstance) => registerImdsSource(scope, deps));
  return identityServer;
}
