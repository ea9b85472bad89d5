import { StringDecoder } from 'node:string_decoder';
import { tokenizerForModel } from './tokenizer.js';

/** Tokens a call spent. */
export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

const PROMPT_KEYS = ['"prompt_tokens"', '"input_tokens"'] as const;
const COMPLETION_KEYS = ['"completion_tokens"', '"output_tokens"'] as const;

/**
 * The usage the simulator's own answer reports (chat, completions and
 * embeddings' `prompt_tokens`/`completion_tokens`, the Responses API's
 * `input_tokens`/`output_tokens`), read without parsing the document: the
 * fields that follow the last `"usage":{`. A caller's text cannot forge that
 * key (quotes inside JSON strings are escaped) and metadata values are
 * strings. Undefined when absent. For another server's answer, see usageOfBody.
 */
export function usageFromJson(text: string): Usage | undefined {
  const at = text.lastIndexOf(USAGE_KEY);
  if (at === -1) return undefined;
  const prompt = numberAfter(text, PROMPT_KEYS, at);
  if (prompt === undefined) return undefined;
  return { promptTokens: prompt, completionTokens: numberAfter(text, COMPLETION_KEYS, at) ?? 0 };
}

/**
 * The `usage` of an upstream's answer, or undefined. OpenAI-compatible servers write it compactly at the end of
 * the document, where usageFromJson finds it without parsing the whole answer (a model's text cannot forge the key);
 * any other layout, or counts that are not safe integers, are read from the document parsed whole.
 */
export function usageOfBody(text: string): Usage | undefined {
  const scanned = usageFromJson(text);
  if (scanned !== undefined && isCount(scanned.promptTokens) && isCount(scanned.completionTokens)) return scanned;
  const parsed = parseObject(text);
  return parsed && usageIn(parsed['usage']);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function usageIn(usage: unknown): Usage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const u = usage as Record<string, unknown>;
  const prompt = u['prompt_tokens'] ?? u['input_tokens'];
  const completion = u['completion_tokens'] ?? u['output_tokens'] ?? 0;
  return isCount(prompt) && isCount(completion) ? { promptTokens: prompt, completionTokens: completion } : undefined;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

const USAGE_KEY = '"usage":{';

function numberAfter(text: string, keys: readonly string[], from: number): number | undefined {
  for (const key of keys) {
    const at = text.indexOf(key, from);
    if (at === -1) continue;
    let i = at + key.length;
    while (text.charCodeAt(i) === 32) i++;
    if (text[i] !== ':') continue;
    i++;
    while (text.charCodeAt(i) === 32) i++;
    let n = 0;
    let digits = 0;
    for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
      n = n * 10 + (c - 48);
      digits++;
    }
    if (digits > 0) return n;
  }
  return undefined;
}

/**
 * Watches a streamed answer go by, as SSE bytes (an upstream's) or as chunk
 * objects (the simulator's), to learn what it spent: the usage a chunk
 * reports, or else the streamed text counted with the model's tokenizer.
 */
export class StreamUsageMeter {
  private usage: Usage | undefined;
  private readonly texts: string[] = [];
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly modelName: string,
    /** The prompt's tokens, counted only if the stream reports no usage. */
    private readonly promptTokens: () => number,
  ) {}

  /** A piece of an SSE stream; lines may be split across pieces. */
  bytes(chunk: Buffer): void {
    const text = this.partial + this.decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      this.line(text.slice(start, end));
      start = end + 1;
    }
    this.partial = text.slice(start);
  }

  /** One chunk object as the simulator streams it. */
  chunk(chunk: Readonly<Record<string, unknown>>): void {
    const usage = chunk['usage'];
    if (typeof usage === 'object' && usage !== null) {
      const u = usage as Record<string, unknown>;
      if (typeof u['prompt_tokens'] === 'number') {
        this.usage = { promptTokens: u['prompt_tokens'], completionTokens: typeof u['completion_tokens'] === 'number' ? u['completion_tokens'] : 0 };
      }
    }
    collectText(chunk, this.texts);
  }

  /** What the stream spent, so far (a cut stream spent what it sent). */
  result(): Usage {
    if (this.usage !== undefined) return this.usage;
    const tok = tokenizerForModel(this.modelName);
    return { promptTokens: this.promptTokens(), completionTokens: tok.count(this.texts.join('')) };
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith('data:')) return;
    const data = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
    if (data === '[DONE]' || data === '') return;
    if (data.includes('"usage"')) {
      const usage = usageOfChunk(data);
      if (usage !== undefined) this.usage = usage;
    }
    // Only text-bearing chunks are parsed, for the count when no usage comes.
    if (this.usage === undefined && (data.includes('"content"') || data.includes('"text"') || data.includes('"delta"'))) {
      try {
        collectText(JSON.parse(data) as Record<string, unknown>, this.texts);
      } catch {
        // Not JSON: nothing to count.
      }
    }
  }
}

/** The usage of one streamed chunk: chat's last chunk, or the Responses API's `response.completed` (usage under `response`). */
function usageOfChunk(data: string): Usage | undefined {
  const chunk = parseObject(data);
  if (chunk === undefined) return undefined;
  const response = chunk['response'];
  return usageIn(chunk['usage']) ?? (typeof response === 'object' && response !== null ? usageIn((response as Record<string, unknown>)['usage']) : undefined);
}

/** The generated text in one chunk: chat deltas, completions' text, the Responses API's text deltas. */
function collectText(chunk: Readonly<Record<string, unknown>>, into: string[]): void {
  if (chunk['type'] === 'response.output_text.delta' && typeof chunk['delta'] === 'string') {
    into.push(chunk['delta']);
    return;
  }
  const choices = chunk['choices'];
  if (!Array.isArray(choices)) return;
  for (const choice of choices as Record<string, unknown>[]) {
    const delta = choice['delta'] as Record<string, unknown> | undefined;
    if (typeof delta?.['content'] === 'string') into.push(delta['content']);
    else if (typeof choice['text'] === 'string') into.push(choice['text']);
  }
}
