import type { FastifyInstance } from 'fastify';
import { DEFAULT_HOST_NAMES, formatHost } from './config/names.js';
import { StartupError } from './shared/errors.js';

/** How `keyless up` takes its ports and names its addresses: the listeners' side of the composition root (app.ts). */

/** Listens, and turns the usual failures into a start-up error naming the flag to change. */
export async function listen(server: FastifyInstance, host: string, port: number, flag: string): Promise<number> {
  try {
    await server.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupError('PortInUse', `Port ${port} on ${host} is already in use; choose another with ${flag} (0 picks a free one).`);
    if (code === 'EADDRNOTAVAIL') throw new StartupError('HostUnavailable', `Cannot listen on ${host}: no such local address.`);
    if (code === 'EACCES') throw new StartupError('PortDenied', `Not allowed to listen on port ${port}; choose a port above 1023 with ${flag}.`);
    throw error;
  }
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new StartupError('ListenFailed', `Could not listen on ${host}:${port}.`);
  return address.port;
}

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');
export const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** A member's address, and the same port under each of the host names Keyless answers to. */
export function peerOrigins(addresses: readonly string[]): string[] {
  const origins: string[] = [];
  for (const address of addresses) {
    origins.push(address);
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      continue;
    }
    if (!DEFAULT_HOST_NAMES.map((h) => formatHost(h)).includes(url.hostname)) continue;
    for (const host of DEFAULT_HOST_NAMES) origins.push(`https://${formatHost(host)}:${url.port}`);
  }
  return origins;
}
