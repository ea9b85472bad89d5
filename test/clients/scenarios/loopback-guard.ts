/**
 * Imported first by every client scenario: records, and refuses, any
 * connection to an address that is not loopback. A client library that tried
 * Microsoft's hosts (instance discovery, 169.254.169.254) would show up here.
 */
import net from 'node:net';

export const nonLoopback: string[] = [];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guarded(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  const options = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as { host?: unknown; path?: unknown };
  const host = typeof options.host === 'string' ? options.host.replace(/^\[|\]$/g, '') : options.path === undefined ? 'localhost' : 'unix';
  if (host !== 'unix' && !LOOPBACK.test(host)) {
    nonLoopback.push(host);
    process.nextTick(() => this.destroy(new Error(`loopback guard: connection to ${host} refused`)));
    return this;
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
