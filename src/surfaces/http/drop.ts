import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * An injected fault's dropped connection: no answer at all (what a client
 * sees when a load balancer or the platform goes away mid-call). A plain TCP
 * socket is reset; a TLS one, which cannot be reset from here, is destroyed.
 */
export function dropSocket(socket: Socket | null | undefined): void {
  if (!socket) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** The same on a fastify route: the reply is taken over and never sent. */
export function dropConnection(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  dropSocket(request.raw.socket);
  return reply;
}
