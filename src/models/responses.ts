import { randomBytes } from 'node:crypto';
import { compose, quotePhrase } from './compose.js';
import { invalidType } from './errors.js';
import { countPromptTokens, type ChatMessage } from './messages.js';
import { asBody, optionalInteger, optionalNumber, type Body } from './params.js';
import { realize, type Generated } from './realize.js';
import { promptOf, readInput } from './responses-input.js';
import { digest, Rng } from './rng.js';
import { tokenizerForModel } from './tokenizer.js';
import type { CallContext } from './types.js';

/** OpenAI's floor for `max_output_tokens` ("Expected a value >= 16"). */
const MIN_OUTPUT_TOKENS = 16;

export type ResponseUsage = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
};

/** A validated Responses API request and its deterministic reply. */
export interface ResponsePlan {
  readonly body: Body;
  readonly generated: Generated;
  readonly usage: ResponseUsage;
  /** The conversation so far (history, then input), without instructions: what a chained response continues. */
  readonly conversation: readonly ChatMessage[];
  readonly store: boolean;
  readonly messageId: string;
}

/**
 * Plans a response to `raw`, continuing `history` (the stored conversation of
 * `previous_response_id`, already looked up by the caller). Throws
 * ModelInputError for a body OpenAI would refuse.
 */
export function planResponse(raw: unknown, ctx: CallContext, history: readonly ChatMessage[]): ResponsePlan {
  const body = asBody(raw);
  const instructions = optionalString(body, 'instructions');
  const limit = optionalInteger(body, 'max_output_tokens', { min: MIN_OUTPUT_TOKENS });
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const store = body['store'] ?? true;
  if (typeof store !== 'boolean') throw invalidType('store', 'a boolean', store);
  const conversation = readInput(body, history);
  const prompt = promptOf(instructions, conversation);

  const tok = tokenizerForModel(ctx.modelName);
  const hash = digest(['responses', prompt.canonical, `t=${temperature}`, `m=${limit}`]);
  const style = { conversational: true, leadingSpace: false, quote: quotePhrase(prompt.lastUserText) };
  const generated = realize(compose(new Rng(hash, 0), style), tok, limit);
  const inputTokens = countPromptTokens(prompt, tok);
  return {
    body,
    generated,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: generated.tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + generated.tokens,
    },
    conversation,
    store,
    // Derived from the response id: unique with it, and the same answer for the same call.
    messageId: `msg_${digest(['message', ctx.id]).toString('hex').slice(0, 48)}`,
  };
}

/** The conversation a later `previous_response_id` continues: this one's, then its reply. */
export function continuedConversation(plan: ResponsePlan): ChatMessage[] {
  return [...plan.conversation, { role: 'assistant', name: undefined, texts: [plan.generated.content], images: 0 }];
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** How the reply ended: cut at `max_output_tokens` makes the response (and its message) incomplete. */
export function finalStatus(plan: ResponsePlan): 'completed' | 'incomplete' {
  return plan.generated.finishReason === 'length' ? 'incomplete' : 'completed';
}

export function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

export function outputMessage(plan: ResponsePlan, status: ItemStatus, content: readonly unknown[]): Record<string, unknown> {
  return { id: plan.messageId, type: 'message', status, content, role: 'assistant' };
}

/**
 * OpenAI's Response object. `in_progress` is the snapshot streamed first
 * (no output, no usage); otherwise the finished response.
 */
export function responseObject(plan: ResponsePlan, ctx: CallContext, state: 'in_progress' | 'final'): Record<string, unknown> {
  const { body } = plan;
  const done = state === 'final';
  const status = done ? finalStatus(plan) : 'in_progress';
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.created,
    status,
    background: typeof body['background'] === 'boolean' ? body['background'] : false,
    completed_at: done && status === 'completed' ? ctx.created : null,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: typeof body['instructions'] === 'string' ? body['instructions'] : null,
    max_output_tokens: echo(body, 'max_output_tokens', 'number', null),
    max_tool_calls: echo(body, 'max_tool_calls', 'number', null),
    model: ctx.modelName,
    output: done ? [outputMessage(plan, status, [outputText(plan.generated.content)])] : [],
    parallel_tool_calls: echo(body, 'parallel_tool_calls', 'boolean', true),
    previous_response_id: echo(body, 'previous_response_id', 'string', null),
    prompt_cache_key: echo(body, 'prompt_cache_key', 'string', null),
    reasoning: reasoningOf(body),
    safety_identifier: echo(body, 'safety_identifier', 'string', null),
    service_tier: 'default',
    store: plan.store,
    temperature: echo(body, 'temperature', 'number', 1),
    text: textOf(body),
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: Array.isArray(body['tools']) ? body['tools'] : [],
    top_logprobs: echo(body, 'top_logprobs', 'number', 0),
    top_p: echo(body, 'top_p', 'number', 1),
    truncation: echo(body, 'truncation', 'string', 'disabled'),
    usage: done ? plan.usage : null,
    user: echo(body, 'user', 'string', null),
    metadata: isObject(body['metadata']) ? body['metadata'] : {},
  };
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidType(name, 'a string', value);
  return value;
}

/** A request field as given when it has the expected type, else the default OpenAI reports. */
function echo(body: Body, name: string, type: 'number' | 'boolean' | 'string', fallback: unknown): unknown {
  const value = body[name];
  return typeof value === type ? value : fallback;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function reasoningOf(body: Body): Record<string, unknown> {
  const reasoning = isObject(body['reasoning']) ? body['reasoning'] : {};
  return { effort: reasoning['effort'] ?? null, summary: reasoning['summary'] ?? null };
}

function textOf(body: Body): Record<string, unknown> {
  const text = isObject(body['text']) ? body['text'] : {};
  return { format: isObject(text['format']) ? text['format'] : { type: 'text' }, verbosity: text['verbosity'] ?? 'medium' };
}

/** A new response id in OpenAI's form: `resp_` and 48 hexadecimal digits. */
export function newResponseId(): string {
  return `resp_${randomBytes(24).toString('hex')}`;
}

/** The body OpenAI answers a deleted response with. */
export function deletedResponse(id: string): string {
  return JSON.stringify({ id, object: 'response', deleted: true });
}
