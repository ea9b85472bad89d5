import type { ServerResponse } from 'node:http';

/**
 * Writes chunk objects as server-sent events (`data: {json}` lines, then
 * `data: [DONE]`), as OpenAI and Azure OpenAI stream. The headers are the
 * caller's. A synchronous stream is written at once; an asynchronous one
 * chunk by chunk as it arrives, and the promise of its end is returned.
 */
export function writeEvents(
  response: ServerResponse,
  events: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
): Promise<void> | undefined {
  if (Symbol.asyncIterator in events) return writeLater(response, events);
  for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
  response.end('data: [DONE]\n\n');
  return undefined;
}

async function writeLater(response: ServerResponse, events: AsyncIterable<Record<string, unknown>>): Promise<void> {
  for await (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
  response.end('data: [DONE]\n\n');
}
