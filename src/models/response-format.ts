import {
  emptyString,
  invalidSchema,
  invalidType,
  invalidValue,
  missingParameter,
  ModelInputError,
  patternMismatch,
  stringTooLong,
} from './errors.js';
import { isSchemaObject, type Schema } from './json-schema.js';
import type { ChatPrompt } from './messages.js';
import type { Body } from './params.js';
import { pythonTuple, rootTypeFault, strictSchemaFault } from './schema-strict.js';

const FORMAT_TYPES: readonly string[] = ['json_object', 'json_schema', 'text'];
/** Names of response formats and functions (OpenAI's rule for both). */
export const NAME_PATTERN = '^[a-zA-Z0-9_-]+$';
const NAME_RE = /^[a-zA-Z0-9_-]+$/;
export const NAME_MAX_LENGTH = 64;

/** What the reply's content must be. */
export type ResponseFormat =
  | { readonly kind: 'text' }
  | { readonly kind: 'json_object' }
  | { readonly kind: 'json_schema'; readonly name: string; readonly schema: Schema; readonly strict: boolean };

const TEXT: ResponseFormat = { kind: 'text' };
const JSON_OBJECT: ResponseFormat = { kind: 'json_object' };

/** `response_format`, validated as OpenAI does (strict schemas included). */
export function readResponseFormat(body: Body, prompt: ChatPrompt): ResponseFormat {
  const raw = body['response_format'];
  if (raw === undefined || raw === null) return TEXT;
  if (!isSchemaObject(raw)) throw invalidType('response_format', 'an object', raw);
  const type = raw['type'];
  if (type === undefined) throw missingParameter('response_format.type');
  if (typeof type !== 'string') throw invalidType('response_format.type', 'a string', type);
  if (!FORMAT_TYPES.includes(type)) throw invalidValue('response_format.type', type, FORMAT_TYPES);
  if (type === 'text') return TEXT;
  if (type === 'json_object') {
    if (!prompt.messages.some((m) => m.texts.some((t) => /json/i.test(t)))) {
      throw new ModelInputError(
        null,
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
      );
    }
    return JSON_OBJECT;
  }
  return readJsonSchema(raw['json_schema']);
}

function readJsonSchema(raw: unknown): ResponseFormat {
  const path = 'response_format.json_schema';
  if (raw === undefined) throw missingParameter(path);
  if (!isSchemaObject(raw)) throw invalidType(path, 'an object', raw);
  const name = readName(raw['name'], `${path}.name`);
  const schema = raw['schema'];
  if (schema !== undefined && schema !== null && !isSchemaObject(schema)) throw invalidType(`${path}.schema`, 'an object', schema);
  const strict = raw['strict'];
  if (strict !== undefined && strict !== null && typeof strict !== 'boolean') throw invalidType(`${path}.strict`, 'a boolean', strict);
  const format: ResponseFormat = { kind: 'json_schema', name, schema: isSchemaObject(schema) ? schema : {}, strict: strict === true };
  if (format.strict) checkStrict(format.schema, { kind: 'response_format', name });
  return format;
}

/** A function's or a format's name: present, non-empty, at most 64 of [a-zA-Z0-9_-]. */
export function readName(name: unknown, path: string): string {
  if (name === undefined || name === null) throw missingParameter(path);
  if (typeof name !== 'string') throw invalidType(path, 'a string', name);
  if (name === '') throw emptyString(path);
  if (name.length > NAME_MAX_LENGTH) throw stringTooLong(path, NAME_MAX_LENGTH, name.length);
  if (!NAME_RE.test(name)) throw patternMismatch(path, NAME_PATTERN);
  return name;
}

/** OpenAI's strict-mode refusals: the root must be an object schema, then the rules of strictSchemaFault. */
export function checkStrict(schema: Schema, owner: Parameters<typeof invalidSchema>[0]): void {
  const root = rootTypeFault(schema);
  if (root !== undefined) throw invalidSchema(owner, root);
  const fault = strictSchemaFault(schema);
  if (fault !== undefined) throw invalidSchema(owner, `In context=${pythonTuple(fault.context)}, ${fault.detail}`);
}
