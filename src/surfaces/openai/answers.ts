import type { ModelChunks } from '../../models/index.js';
import type { EventFraming } from '../http/index.js';
import type { RelayedAnswer } from './upstream-call.js';
import { DataPlaneError, toDataPlaneError } from './errors.js';
import type { HeaderRecord } from './quota-headers.js';

/**
 * What to answer: a JSON document, server-sent events (the chunks, each sent
 * as one `data:` line, or as typed `event:` lines for the Responses API), or
 * an upstream's stream relayed byte for byte; each with the headers it adds
 * (rate-limit counts, a 429's retry hints).
 */
export type DataPlaneAnswer =
  | { readonly status: number; readonly json: string; readonly headers?: Readonly<HeaderRecord> | undefined }
  | { readonly status: 200; readonly events: ModelChunks; readonly framing?: EventFraming; readonly headers?: Readonly<HeaderRecord> | undefined }
  | RelayedAnswer
  /** An injected fault's dropped connection: the listener resets the socket, nothing is sent. */
  | { readonly status: 0; readonly drop: true; readonly headers?: Readonly<HeaderRecord> | undefined };

export const jsonAnswer = (json: string): DataPlaneAnswer => ({ status: 200, json });

export const streamAnswer = (events: ModelChunks, framing: EventFraming): DataPlaneAnswer => ({ status: 200, events, framing });

/** The answer with `headers` added (those it already has win: an upstream's retry hints). */
export function withHeaders(answer: DataPlaneAnswer, headers: Readonly<HeaderRecord>): DataPlaneAnswer {
  const merged = answer.headers === undefined ? headers : { ...headers, ...answer.headers };
  // The common answer, a JSON document, as a literal: a spread of the answer builds a new hidden class per call (measured).
  if ('json' in answer) return { status: answer.status, json: answer.json, headers: merged };
  return { ...answer, headers: merged };
}

/** Error bodies are small and rare: serialised per answer. */
export function errorAnswer(error: DataPlaneError): DataPlaneAnswer {
  return { status: error.status, json: error.serialised(), headers: error.headers };
}

/** The model's refusal of the body (invalid input) as Azure's 400; anything else is not the caller's fault. */
export function inputErrorAnswer(error: unknown): DataPlaneAnswer {
  const refused = toDataPlaneError(error);
  if (refused) return errorAnswer(refused);
  throw error;
}

/** An upstream's failure is Azure's 502/504; anything else is not expected. */
export function upstreamErrorAnswer(error: unknown): DataPlaneAnswer {
  if (error instanceof DataPlaneError) return errorAnswer(error);
  throw error;
}
