import { invalidField, invalidValue, ModelInputError, requiredProperty } from './errors.js';
import { asBody, optionalInteger, type Body } from './params.js';
import { tokenizerForModel, type Tokenizer } from './tokenizer.js';
import type { CallContext } from './types.js';
import { embeddingVector, float32Base64 } from './vector.js';

const MAX_INPUTS = 2048;
const ENCODING_FORMATS: readonly string[] = ['float', 'base64'];

/** Native vector size by model name. */
export function defaultDimensions(modelName: string): number {
  return /text-embedding-3-large/i.test(modelName) ? 3072 : 1536;
}

/** Models with a fixed size that reject `dimensions`. */
const FIXED_DIMENSIONS = /ada-002/i;

interface EmbeddingInput {
  /** The text the vector is derived from (token ids are decoded first). */
  readonly text: string;
  readonly tokens: number;
}

const isTokenIds = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length > 0 && v.every((id) => typeof id === 'number' && Number.isInteger(id) && id >= 0);

/** `input`: a non-empty string, up to 2048 of them, token ids, or arrays of token ids. */
function readInputs(body: Body, tok: Tokenizer): EmbeddingInput[] {
  const raw = body['input'];
  if (raw === undefined) throw requiredProperty('input');
  const text = (s: string): EmbeddingInput => ({ text: s, tokens: tok.count(s) });
  const ids = (a: number[]): EmbeddingInput => ({ text: tok.decode(a), tokens: a.length });
  if (typeof raw === 'string') {
    if (raw === '') throw invalidField('input');
    return [text(raw)];
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_INPUTS) throw invalidField('input');
  if (raw.every((s) => typeof s === 'string' && s !== '')) return (raw as string[]).map(text);
  if (isTokenIds(raw)) return [ids(raw)];
  if (raw.every(isTokenIds)) return (raw as number[][]).map(ids);
  throw invalidField('input');
}

function readDimensions(body: Body, modelName: string): number {
  const native = defaultDimensions(modelName);
  if (body['dimensions'] != null && FIXED_DIMENSIONS.test(modelName)) {
    throw new ModelInputError(null, 'This model does not support specifying dimensions.');
  }
  return optionalInteger(body, 'dimensions', { min: 1, max: native }) ?? native;
}

function readEncodingFormat(body: Body): 'float' | 'base64' {
  const format = body['encoding_format'];
  if (format === undefined || format === null || format === 'float') return 'float';
  if (format === 'base64') return 'base64';
  throw invalidValue('encoding_format', String(format), ENCODING_FORMATS);
}

export function createEmbeddings(raw: unknown, ctx: CallContext): Record<string, unknown> {
  const body = asBody(raw);
  const tok = tokenizerForModel(ctx.modelName);
  const inputs = readInputs(body, tok);
  const dimensions = readDimensions(body, ctx.modelName);
  const format = readEncodingFormat(body);
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += input.tokens;
    const vector = embeddingVector(input.text, dimensions);
    return { object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : Array.from(vector) };
  });
  return { object: 'list', data, model: ctx.answeredModel ?? ctx.modelName, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
