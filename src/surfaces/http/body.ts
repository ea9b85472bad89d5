import type { IncomingMessage } from 'node:http';

/** A request body read whole: its text, or `tooLarge` once it passes the limit. */
export type RawBody = { readonly text: string } | 'tooLarge';

/**
 * Reads a request body up to `limit` bytes, for listeners that answer on
 * node's own request. A body declared or found larger is reported at once
 * (`tooLarge`) and the rest is dropped. A client that goes away mid-body gets
 * no answer: `done` is then never called.
 */
export function readBody(request: IncomingMessage, limit: number, done: (body: RawBody) => void): void {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return done('tooLarge');
  const chunks: Buffer[] = [];
  let length = 0;
  let over = false;
  request.on('data', (chunk: Buffer) => {
    if (over) return;
    length += chunk.length;
    if (length > limit) {
      over = true;
      chunks.length = 0;
      done('tooLarge');
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (over) return;
    done({ text: chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, length).toString('utf8') });
  });
  request.on('error', () => undefined);
}
