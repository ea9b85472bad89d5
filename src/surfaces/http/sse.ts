import type { ServerResponse } from 'node:http';

type Events = Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;

/**
 * How a stream is framed on the wire:
 * - `chunks` (chat, completions): each chunk as a `data: {json}` event, then `data: [DONE]`;
 * - `typed` (the Responses API): each event as `event: <its type>` + `data: {json}`, and no terminator.
 */
export type EventFraming = 'chunks' | 'typed';

/**
 * Writes events as server-sent events, as OpenAI and Azure OpenAI stream
 * them. The headers are the caller's. A synchronous stream is written at
 * once; an asynchronous one event by event as it arrives, and the promise of
 * its end is returned.
 */
export function writeEvents(response: ServerResponse, events: Events, framing: EventFraming = 'chunks'): Promise<void> | undefined {
  const frame = framing === 'typed' ? typedEvent : dataEvent;
  const end = framing === 'typed' ? '' : 'data: [DONE]\n\n';
  if (Symbol.asyncIterator in events) return writeLater(response, events, frame, end);
  for (const event of events) response.write(frame(event));
  response.end(end);
  return undefined;
}

async function writeLater(response: ServerResponse, events: AsyncIterable<Record<string, unknown>>, frame: (event: Record<string, unknown>) => string, end: string): Promise<void> {
  for await (const event of events) response.write(frame(event));
  response.end(end);
}

const dataEvent = (event: Record<string, unknown>): string => `data: ${JSON.stringify(event)}\n\n`;

const typedEvent = (event: Record<string, unknown>): string => `event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`;
