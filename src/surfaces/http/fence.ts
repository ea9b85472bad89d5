import type { FastifyInstance, FastifyReply } from 'fastify';
import { UnavailableError } from '../../shared/errors.js';

/** What a listener asks of the instance's fence (src/cluster/fence.ts). */
export interface FenceView {
  fenced(): boolean;
}

/** Seconds a client is told to wait before retrying a fenced instance (a heartbeat comes every fifth of the lease). */
export const FENCED_RETRY_AFTER_SECONDS = 1;

export const instanceFenced = (): UnavailableError =>
  new UnavailableError(
    'InstanceFenced',
    'This Keyless instance cannot confirm that its state is current and is not serving requests until it has caught up. Please retry the request.',
    FENCED_RETRY_AFTER_SECONDS,
  );

/**
 * Refuses every request of a listener while its instance is fenced, in the
 * dialect of the scope the request reaches (each maps UnavailableError to its
 * 503), except /healthz, which says so itself. Installed before any route.
 */
export function fenceRequests(app: FastifyInstance, fence: FenceView): void {
  app.addHook('onRequest', async (request) => {
    if (fence.fenced() && !isHealth(request.url)) throw instanceFenced();
  });
}

/** `/healthz`: 200 `{"status":"ok"}`, or 503 `{"status":"fenced"}` so that a load balancer takes the instance out. */
export function healthAnswer(reply: FastifyReply, fence: FenceView): { status: string } {
  if (!fence.fenced()) return { status: 'ok' };
  reply.code(503).header('retry-after', String(FENCED_RETRY_AFTER_SECONDS));
  return { status: 'fenced' };
}

const isHealth = (url: string): boolean => url === '/healthz' || url.startsWith('/healthz?');
