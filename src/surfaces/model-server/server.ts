import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { newResponseId, type Awaitable, type ModelBackend, type ModelChunks, type ModelRequest, type StoredResponses } from '../../models/index.js';
import { readBody, writeEvents, type EventFraming } from '../http/index.js';
import { OpenAiError, openAiErrors, toOpenAiError } from './errors.js';
import { SERVED_MODELS } from './models.js';
import { storedResponseAnswer } from './stored-responses.js';

/** OpenAI's own request size limit is larger; 4 MiB is the Keyless data plane's. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

type Operation = 'chat' | 'completions' | 'embeddings' | 'responses';
const OPERATIONS: Readonly<Record<string, Operation>> = {
  '/v1/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/v1/responses': 'responses',
};
const ID_PREFIX: Readonly<Record<Exclude<Operation, 'responses'>, string>> = { chat: 'chatcmpl-', completions: 'cmpl-', embeddings: '' };

/**
 * A model backend served alone as an OpenAI-compatible API (`/v1/…`), with
 * OpenAI's error bodies and no authentication: what a self-hosted model
 * server (vLLM, llama.cpp's server, Ollama) offers, so that Keyless can be
 * tried in front of a real separate process.
 */
export function createModelServer(backend: ModelBackend, now: () => number = Date.now, stored?: StoredResponses): http.Server {
  return http.createServer((request, response) => {
    const requestId = randomUUID();
    const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    const fail = (error: unknown) => sendError(response, requestId, error);
    if (request.method === 'GET' && path === '/v1/models') return sendJson(response, requestId, 200, modelList(now));
    const storedAnswer = storedResponseAnswer(request.method, path, stored);
    if (storedAnswer !== undefined) {
      request.resume();
      if (storedAnswer instanceof OpenAiError) return fail(storedAnswer);
      return void sendText(response, requestId, 200, storedAnswer);
    }
    const operation = request.method === 'POST' ? OPERATIONS[path] : undefined;
    if (operation === undefined) {
      request.resume();
      return fail(openAiErrors.unknownUrl(request.method ?? 'GET', path));
    }
    readJson(request, (body) => {
      try {
        if (body instanceof OpenAiError) throw body;
        const answer = answerFor(backend, operation, body, now);
        void Promise.resolve(answer)
          .then((value) => send(response, requestId, value))
          .catch(fail);
      } catch (error) {
        fail(error);
      }
    });
  });
}

type Answer = { readonly json: string } | { readonly events: ModelChunks; readonly framing?: EventFraming };

function answerFor(backend: ModelBackend, operation: Operation, parsed: { body: Record<string, unknown>; text: string }, now: () => number): Awaitable<Answer> {
  const model = parsed.body['model'];
  if (typeof model !== 'string' || model === '') throw openAiErrors.noModel();
  const request: ModelRequest = {
    body: parsed.body,
    text: parsed.text,
    // The simulator caches per deployment: here a model name is all there is.
    deploymentKey: `model:${model}`,
    ctx: { deployment: model, modelName: model, created: Math.floor(now() / 1000), id: operation === 'responses' ? newResponseId() : `${ID_PREFIX[operation]}${randomUUID().replace(/-/g, '')}` },
    // One owner of stored responses: `GET /v1/responses/{id}` names no model.
    scope: '',
  };
  const stream = parsed.body['stream'] === true;
  if (operation === 'responses') return stream ? events(backend.responsesStream(request), 'typed') : json(backend.responses(request));
  if (operation === 'embeddings') return json(backend.embeddings(request));
  if (operation === 'chat') return stream ? events(backend.chatStream(request)) : json(backend.chat(request));
  return stream ? events(backend.completionStream(request)) : json(backend.completion(request));
}

const json = (text: Awaitable<string>): Awaitable<Answer> => (typeof text === 'string' ? { json: text } : text.then((t) => ({ json: t })));
const events = (chunks: Awaitable<ModelChunks>, framing: EventFraming = 'chunks'): Awaitable<Answer> =>
  chunks instanceof Promise ? chunks.then((e) => ({ events: e, framing })) : { events: chunks, framing };

function send(response: ServerResponse, requestId: string, answer: Answer): Promise<void> | undefined {
  if ('json' in answer) return sendText(response, requestId, 200, answer.json);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId });
  return writeEvents(response, answer.events, answer.framing);
}

function sendError(response: ServerResponse, requestId: string, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const known = toOpenAiError(error) ?? openAiErrors.internal();
  sendJson(response, requestId, known.status, known.body());
}

const sendJson = (response: ServerResponse, requestId: string, status: number, value: unknown): void =>
  void sendText(response, requestId, status, JSON.stringify(value));

function sendText(response: ServerResponse, requestId: string, status: number, text: string): undefined {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': requestId }).end(text);
  return undefined;
}

/** The body as a JSON object (no body reads as `{}`, so the model names what it misses), or the error to answer. */
function readJson(request: IncomingMessage, done: (body: { body: Record<string, unknown>; text: string } | OpenAiError) => void): void {
  readBody(request, MAX_BODY_BYTES, (raw) => {
    if (raw === 'tooLarge') return done(openAiErrors.tooLarge());
    const { text } = raw;
    if (text.trim() === '') return done({ body: {}, text });
    try {
      const value = JSON.parse(text) as unknown;
      done({ body: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}, text });
    } catch (error) {
      done(openAiErrors.unparsable((error as Error).message));
    }
  });
}

function modelList(now: () => number): { object: 'list'; data: { id: string; object: 'model'; created: number; owned_by: string }[] } {
  const created = Math.floor(now() / 1000);
  return { object: 'list', data: SERVED_MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'keyless' })) };
}
