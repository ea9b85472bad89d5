import { randomBytes } from 'node:crypto';
import { choiceTokens, planChoice, type ChoicePlan, type ToolCallPlan } from './chat-plan.js';
import { invalidType } from './errors.js';
import { countPromptTokens, type ChatMessage } from './messages.js';
import { asBody, optionalInteger, optionalNumber, type Body } from './params.js';
import { promptOf, readInput } from './responses-input.js';
import { readResponseTools, readTextFormat } from './responses-structure.js';
import { digest, Rng } from './rng.js';
import { tokenizerForModel } from './tokenizer.js';
import { countToolTokens } from './tool-tokens.js';
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
  /** Text (prose, or JSON for a json `text.format`), or calls of the declared functions. */
  readonly reply: ChoicePlan;
  readonly usage: ResponseUsage;
  /** The conversation so far (history, then input), without instructions: what a chained response continues. */
  readonly conversation: readonly ChatMessage[];
  readonly store: boolean;
  readonly messageId: string;
  /** The ids of the function_call items, one per call. */
  readonly callItemIds: readonly string[];
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
  const format = readTextFormat(body, conversation);
  const tools = readResponseTools(body);
  const prompt = promptOf(instructions, conversation);

  const tok = tokenizerForModel(ctx.modelName);
  const parts = ['responses', prompt.canonical, `t=${temperature}`, `m=${limit}`];
  // Only requests that declare functions or a format hash them, so plain prose answers stay as they were.
  if (tools !== undefined || format.kind !== 'text') parts.push(JSON.stringify(['tools', 'tool_choice', 'parallel_tool_calls', 'text'].map((k) => body[k] ?? null)));
  const reply = planChoice(new Rng(digest(parts), 0), { prompt, tools, format, tok, limit });
  let inputTokens = countPromptTokens(prompt, tok);
  if (tools !== undefined) inputTokens += countToolTokens(tools.tools, tok);
  if (format.kind === 'json_schema') inputTokens += tok.count(JSON.stringify(format.schema));
  const outputTokens = choiceTokens(reply, tok);
  // Item ids derive from the response id: unique with it, and the same answer for the same call.
  const itemId = (prefix: string, ...seed: string[]) => `${prefix}_${digest([...seed, ctx.id]).toString('hex').slice(0, 48)}`;
  return {
    body,
    reply,
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    },
    conversation,
    store,
    messageId: itemId('msg', 'message'),
    callItemIds: reply.kind === 'tools' ? reply.calls.map((_, i) => itemId('fc', 'function_call', String(i))) : [],
  };
}

/** The conversation a later `previous_response_id` continues: this one's, then its reply (text, or each call as function_call input items read). */
export function continuedConversation(plan: ResponsePlan): ChatMessage[] {
  const { reply } = plan;
  if (reply.kind === 'text') return [...plan.conversation, { role: 'assistant', name: undefined, texts: [reply.text.content], images: 0 }];
  return [...plan.conversation, ...reply.calls.map((call) => ({ role: 'assistant', name: undefined, texts: [call.name, call.args.content], images: 0 }))];
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** How the reply ended: cut at `max_output_tokens` makes the response (and its last item) incomplete. */
export function finalStatus(plan: ResponsePlan): 'completed' | 'incomplete' {
  const { reply } = plan;
  const finish = reply.kind === 'text' ? reply.text.finishReason : reply.finishReason;
  return finish === 'length' ? 'incomplete' : 'completed';
}

export function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

/** A function call as an output item; `args` is its arguments so far (empty when the item is first streamed). */
export function functionCallItem(id: string, call: ToolCallPlan, status: ItemStatus, args: string): Record<string, unknown> {
  return { id, type: 'function_call', status, arguments: args, call_id: call.id, name: call.name };
}

/** The finished output: the message, or one function_call item per call (the last one cut when the response is incomplete). */
function outputItems(plan: ResponsePlan, status: 'completed' | 'incomplete'): Record<string, unknown>[] {
  const { reply } = plan;
  if (reply.kind === 'text') return [outputMessage(plan, status, [outputText(reply.text.content)])];
  const last = reply.calls.length - 1;
  return reply.calls.map((call, i) => functionCallItem(plan.callItemIds[i] ?? '', call, i === last ? status : 'completed', call.args.content));
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
    model: ctx.answeredModel ?? ctx.modelName,
    output: done ? outputItems(plan, finalStatus(plan)) : [],
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
