import { compose, quotePhrase } from './compose.js';
import { invalidType, ModelInputError, notAbove, unsupportedParameter, unsupportedWithModel } from './errors.js';
import { countPromptTokens, readMessages, type ChatPrompt } from './messages.js';
import { asBody, optionalInteger, optionalNumber, type Body } from './params.js';
import { realize, realizeText, type FinishReason, type Generated } from './realize.js';
import { readResponseFormat, type ResponseFormat } from './response-format.js';
import { digest, Rng } from './rng.js';
import { schemaInstance } from './schema-instance.js';
import { structuredContent } from './structured-content.js';
import { toolCallId, toolsToCall } from './tool-decision.js';
import { checkToolConversation } from './tool-messages.js';
import { countToolTokens } from './tool-tokens.js';
import { readTools, type FunctionTool, type ToolSpec } from './tools.js';
import { tokenizerForModel, type Tokenizer } from './tokenizer.js';
import type { ChatUsage } from './types.js';

/** Reasoning models reject `max_tokens` in favour of `max_completion_tokens`, and `logprobs` while they reason. */
const REASONING_MODELS = /^(o1|o3|o4|gpt-5(?!-chat))/i;
/** OpenAI's cap on chat's `top_logprobs`. */
const MAX_TOP_LOGPROBS = 20;
/** Random streams of a choice's log probabilities, apart from the streams of the choices themselves (n ≤ 128). */
export const LOGPROB_STREAM = 0x10000;

export interface ToolCallPlan {
  readonly id: string;
  readonly name: string;
  /** The arguments' JSON text, as streamed. */
  readonly args: Generated;
}

/** One choice: text (prose or JSON content), or calls of functions. */
export type ChoicePlan =
  | { readonly kind: 'text'; readonly text: Generated }
  | {
      readonly kind: 'tools';
      readonly calls: readonly ToolCallPlan[];
      /** Declared with the legacy `functions`: answered as `function_call`. */
      readonly legacy: boolean;
      readonly finishReason: FinishReason | 'tool_calls' | 'function_call';
    };

/** A validated chat request and its deterministic replies. */
export interface ChatPlan {
  readonly choices: readonly ChoicePlan[];
  readonly usage: ChatUsage;
  /** With `logprobs: true`: how many `top_logprobs` per token. */
  readonly topLogprobs: number | undefined;
  readonly hash: Buffer;
  readonly tok: Tokenizer;
}

export function planChat(raw: unknown, modelName: string): ChatPlan {
  const body = asBody(raw);
  const prompt = readMessages(body);
  checkToolConversation(body);
  const reasoning = REASONING_MODELS.test(modelName);
  if (reasoning && body['max_tokens'] != null) throw unsupportedParameter('max_tokens', 'max_completion_tokens');
  const tools = readTools(body);
  const maxTokens = optionalInteger(body, 'max_tokens', { min: 1 });
  const maxCompletionTokens = optionalInteger(body, 'max_completion_tokens', { min: 1 });
  const n = optionalInteger(body, 'n', { min: 1, max: 128 }) ?? 1;
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topLogprobs = readLogprobs(body, reasoning);
  const seed = optionalInteger(body, 'seed');
  const format = readResponseFormat(body, prompt);
  const limit = maxCompletionTokens ?? maxTokens;

  const tok = tokenizerForModel(modelName);
  const parts = [prompt.canonical, `t=${temperature}`, `s=${seed}`, `n=${n}`, `m=${limit}`];
  // Only requests that declare tools or a format hash them, so plain prose answers stay as they were.
  if (tools !== undefined || format.kind !== 'text') parts.push(structureKey(body));
  const hash = digest(['chat', ...parts]);

  const choices: ChoicePlan[] = [];
  let completionTokens = 0;
  for (let i = 0; i < n; i++) {
    const choice = planChoice(new Rng(hash, i), { prompt, tools, format, tok, limit });
    choices.push(choice);
    completionTokens += choiceTokens(choice, tok);
  }
  let promptTokens = countPromptTokens(prompt, tok);
  if (tools !== undefined) promptTokens += countToolTokens(tools.tools, tok);
  if (format.kind === 'json_schema') promptTokens += tok.count(JSON.stringify(format.schema));
  return { choices, usage: chatUsage(promptTokens, completionTokens), topLogprobs, hash, tok };
}

export interface ChoiceInputs {
  readonly prompt: ChatPrompt;
  readonly tools: ToolSpec | undefined;
  readonly format: ResponseFormat;
  readonly tok: Tokenizer;
  readonly limit: number | undefined;
}

/** One reply: the calls the tool rule picks, else JSON for a json format, else prose quoting the user. */
export function planChoice(rng: Rng, inputs: ChoiceInputs): ChoicePlan {
  const { prompt, tools, format, tok, limit } = inputs;
  const called = tools === undefined ? [] : toolsToCall(tools, prompt, rng);
  if (tools !== undefined && called.length > 0) return planCalls(called, tools.legacy, rng, tok, limit);
  if (format.kind !== 'text') return { kind: 'text', text: realizeText(structuredContent(format, rng), tok, limit) };
  const style = { conversational: true, leadingSpace: false, quote: quotePhrase(prompt.lastUserText) };
  return { kind: 'text', text: realize(compose(rng, style), tok, limit) };
}

/** Calls with arguments valid against each function's parameters; the token limit cuts the arguments. */
function planCalls(called: readonly FunctionTool[], legacy: boolean, rng: Rng, tok: Tokenizer, limit: number | undefined): ChoicePlan {
  const calls: ToolCallPlan[] = [];
  let budget = limit;
  for (const tool of called) {
    const id = toolCallId(rng);
    const value = tool.parameters === undefined ? {} : schemaInstance(tool.parameters, rng, { strict: tool.strict });
    const nameTokens = tok.count(tool.name);
    const args = realizeText(JSON.stringify(value), tok, budget === undefined ? undefined : Math.max(0, budget - nameTokens));
    calls.push({ id, name: tool.name, args });
    if (args.finishReason === 'length') return { kind: 'tools', calls, legacy, finishReason: 'length' };
    if (budget !== undefined) budget -= nameTokens + args.tokens;
  }
  return { kind: 'tools', calls, legacy, finishReason: legacy ? 'function_call' : 'tool_calls' };
}

/** Generated tokens: the text's, or each call's name and arguments. */
export function choiceTokens(choice: ChoicePlan, tok: Tokenizer): number {
  if (choice.kind === 'text') return choice.text.tokens;
  let tokens = 0;
  for (const call of choice.calls) tokens += tok.count(call.name) + call.args.tokens;
  return tokens;
}

/** The request's tool and format declarations as hashable text. */
function structureKey(body: Body): string {
  const keys = ['tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call', 'response_format'];
  return JSON.stringify(keys.map((key) => body[key] ?? null));
}

/** `logprobs` and `top_logprobs`: the number of alternatives per token when logprobs are on, else undefined. */
function readLogprobs(body: Body, reasoning: boolean): number | undefined {
  const logprobs = body['logprobs'];
  if (logprobs !== undefined && logprobs !== null && typeof logprobs !== 'boolean') throw invalidType('logprobs', 'a boolean', logprobs);
  const top = optionalInteger(body, 'top_logprobs', { min: 0 });
  if (top !== undefined && top > MAX_TOP_LOGPROBS) throw notAbove('top_logprobs', MAX_TOP_LOGPROBS);
  if (logprobs === true && reasoning && body['reasoning_effort'] !== 'none') throw unsupportedWithModel('logprobs');
  if (top !== undefined && logprobs !== true) {
    throw new ModelInputError(null, "The 'top_logprobs' parameter is only allowed when 'logprobs' is enabled.", 'top_logprobs');
  }
  return logprobs === true ? (top ?? 0) : undefined;
}

function chatUsage(promptTokens: number, completionTokens: number): ChatUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}
