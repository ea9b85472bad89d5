import type { Socket } from 'node:net';

/** How much a client may still send, and for how long, once it has been answered: then the connection is cut. */
const LINGER_BYTES = 16 * 1024 * 1024;
const LINGER_MS = 5_000;
const lingering = new WeakSet<Socket>();

/**
 * For an answer sent before its request was read whole (a body or headers
 * too large): closing at once would leave the rest of the request unread,
 * and the kernel then resets the connection, often before the client has
 * read the answer. Instead the answer goes out with our FIN, what the client
 * still sends is read and dropped (up to 16 MiB, for up to 5 s), and the
 * connection closes once the client has sent it all.
 */
export function lingerThenClose(socket: Socket): void {
  if (lingering.has(socket) || socket.destroyed) return;
  lingering.add(socket);
  let read = 0;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  socket.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) socket.destroy();
  });
  socket.once('end', () => socket.destroy());
  socket.end();
  socket.resume();
}

/**
 * Makes node's own close after a `Connection: close` answer (its
 * `destroySoon`, once the answer is flushed) a lingering one: for answers
 * given on node's response before the request's body was read.
 */
export function closeAfterRest(socket: Socket): void {
  socket.destroySoon = () => lingerThenClose(socket);
}
