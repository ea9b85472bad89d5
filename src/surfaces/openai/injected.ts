import { setTimeout as sleep } from 'node:timers/promises';
import { CONTENT_FILTER_CAUGHT, PROMPT_FILTER_CAUGHT, type ModelChunks } from '../../models/index.js';
import type { Fault } from '../../faults/index.js';
import { errorAnswer, type DataPlaneAnswer } from './answers.js';
import { RATE_LIMITED_OPERATIONS, dataPlaneErrors } from './errors.js';
import type { Operation } from './operations.js';

/** The call as an injected answer needs it. */
export interface InjectedCall {
  readonly requestId: string;
  readonly operation: Operation;
  readonly apiVersion: string | undefined;
  readonly accountKind: string;
}

/** An answer that is no answer: the listener resets the connection. */
export const DROPPED: DataPlaneAnswer = { status: 0, drop: true };

/**
 * A data-plane fault's answer (`keyless fault add --surface data-plane`):
 * Azure's 429, 500 or 503, the content filter's 400 on the prompt, or the
 * model's own answer (`proceed`) delayed, or cut by the filter.
 */
export function injectedAnswer(fault: Fault, call: InjectedCall, reason: string, proceed: () => DataPlaneAnswer | Promise<DataPlaneAnswer>): DataPlaneAnswer | Promise<DataPlaneAnswer> {
  const { effect } = fault;
  switch (effect.kind) {
    case 'status': {
      const retry = effect.retryAfterSeconds;
      const headers = retry === null ? undefined : { 'retry-after': retry, 'retry-after-ms': retry * 1000 };
      if (effect.status === 429) {
        const operation = RATE_LIMITED_OPERATIONS[call.operation.kind as keyof typeof RATE_LIMITED_OPERATIONS] ?? RATE_LIMITED_OPERATIONS.chat;
        return errorAnswer(dataPlaneErrors.injectedRateLimit(retry ?? 1, operation, call.apiVersion, call.accountKind, reason));
      }
      if (effect.status === 503) return errorAnswer(dataPlaneErrors.serviceUnavailable(reason, headers));
      return errorAnswer(dataPlaneErrors.serverError(call.requestId, reason, headers));
    }
    case 'contentFilter':
      if (effect.target === 'prompt') return errorAnswer(dataPlaneErrors.contentFilteredPrompt(PROMPT_FILTER_CAUGHT, reason));
      return then(proceed(), filterCompletion);
    case 'delay':
      return sleep(effect.delayMs).then(proceed);
    case 'dropConnection':
      return DROPPED;
    case 'aadsts':
      return proceed();
  }
}

const then = (answer: DataPlaneAnswer | Promise<DataPlaneAnswer>, map: (a: DataPlaneAnswer) => DataPlaneAnswer): DataPlaneAnswer | Promise<DataPlaneAnswer> =>
  answer instanceof Promise ? answer.then(map) : map(answer);

/**
 * The filter cut the completion: each choice ends with `finish_reason:
 * "content_filter"` and its `content_filter_results` name what was caught.
 * A whole answer loses its content (Keyless's choice); a stream keeps what it
 * sent before its last chunk. Errors and relayed streams pass unchanged.
 */
function filterCompletion(answer: DataPlaneAnswer): DataPlaneAnswer {
  if ('json' in answer) {
    if (answer.status !== 200) return answer;
    const body = JSON.parse(answer.json) as { choices?: Record<string, unknown>[] };
    for (const choice of body.choices ?? []) {
      cut(choice);
      const message = choice['message'] as Record<string, unknown> | undefined;
      if (message !== undefined) message['content'] = '';
      if (typeof choice['text'] === 'string') choice['text'] = '';
    }
    return { status: 200, json: JSON.stringify(body), headers: answer.headers };
  }
  if ('events' in answer) return { ...answer, events: filteredChunks(answer.events) };
  return answer;
}

function cut(choice: Record<string, unknown>): void {
  choice['finish_reason'] = 'content_filter';
  choice['content_filter_results'] = CONTENT_FILTER_CAUGHT;
}

async function* filteredChunks(chunks: ModelChunks): AsyncIterable<Record<string, unknown>> {
  for await (const chunk of chunks) {
    const choices = chunk['choices'];
    if (Array.isArray(choices)) {
      for (const choice of choices as Record<string, unknown>[]) if (choice['finish_reason'] !== null && choice['finish_reason'] !== undefined) cut(choice);
    }
    yield chunk;
  }
}
