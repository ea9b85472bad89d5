import { InvalidInputError } from '../shared/errors.js';

/**
 * A request body the model rejects. The data plane renders it as OpenAI's 400
 * `{"error":{"message","type":"invalid_request_error","param","code"}}` using
 * `message`, `param` and `openaiCode` (null where OpenAI/Azure send null).
 * `code` (the Keyless code) is `openaiCode` or 'invalid_request'.
 */
export class ModelInputError extends InvalidInputError {
  readonly param: string | null;
  readonly openaiCode: string | null;

  constructor(openaiCode: string | null, message: string, param: string | null = null) {
    super(openaiCode ?? 'invalid_request', message);
    this.param = param;
    this.openaiCode = openaiCode;
  }
}

/** How OpenAI names a JSON value's type in "but got … instead". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a decimal';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Azure's schema wording for a missing top-level property. */
export function requiredProperty(name: string): ModelInputError {
  return new ModelInputError(null, `'${name}' is a required property`);
}

export function missingParameter(path: string): ModelInputError {
  return new ModelInputError('missing_required_parameter', `Missing required parameter: '${path}'.`, path);
}

export function invalidType(path: string, expected: string, value: unknown): ModelInputError {
  return new ModelInputError(
    'invalid_type',
    `Invalid type for '${path}': expected ${expected}, but got ${describeType(value)} instead.`,
    path,
  );
}

export function emptyArray(path: string): ModelInputError {
  return new ModelInputError(
    'empty_array',
    `Invalid '${path}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
    path,
  );
}

export type NumberKind = 'integer' | 'decimal';

export function belowMinimum(path: string, kind: NumberKind, min: number, value: number): ModelInputError {
  return new ModelInputError(
    `${kind}_below_min_value`,
    `Invalid '${path}': ${kind} below minimum value. Expected a value >= ${min}, but got ${value} instead.`,
    path,
  );
}

export function aboveMaximum(path: string, kind: NumberKind, max: number, value: number): ModelInputError {
  return new ModelInputError(
    `${kind}_above_max_value`,
    `Invalid '${path}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
    path,
  );
}

/** "Invalid value: 'x'. Supported values are: 'a', 'b', and 'c'." */
export function invalidValue(path: string, value: string, supported: readonly string[]): ModelInputError {
  const quoted = supported.map((s) => `'${s}'`);
  const list = quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
  return new ModelInputError('invalid_value', `Invalid value: '${value}'. Supported values are: ${list}.`, path);
}

export function unsupportedParameter(name: string, instead: string): ModelInputError {
  return new ModelInputError(
    'unsupported_parameter',
    `Unsupported parameter: '${name}' is not supported with this model. Use '${instead}' instead.`,
    name,
  );
}

/** OpenAI's schema wording for a malformed `input`/`prompt` (param and code null). */
export function invalidField(name: string): ModelInputError {
  return new ModelInputError(
    null,
    `'$.${name}' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.`,
  );
}

/** OpenAI's answer when `previous_response_id` names no stored response (of this owner). */
export function previousResponseNotFound(id: string): ModelInputError {
  return new ModelInputError('previous_response_not_found', `Previous response with id '${id}' not found.`, 'previous_response_id');
}

export function emptyString(path: string): ModelInputError {
  return new ModelInputError(
    'empty_string',
    `Invalid '${path}': empty string. Expected a string with minimum length 1, but got an empty string instead.`,
    path,
  );
}

export function stringTooLong(path: string, max: number, length: number): ModelInputError {
  return new ModelInputError(
    'string_above_max_length',
    `Invalid '${path}': string too long. Expected a string with maximum length ${max}, but got a string with length ${length} instead.`,
    path,
  );
}

export function patternMismatch(path: string, pattern: string): ModelInputError {
  return new ModelInputError(
    'invalid_value',
    `Invalid '${path}': string does not match pattern. Expected a string that matches the pattern '${pattern}'.`,
    path,
  );
}

/** "Invalid value for 'x': must be less than or equal to N." (OpenAI's wording for the logprobs caps). */
export function notAbove(path: string, max: number): ModelInputError {
  return new ModelInputError(null, `Invalid value for '${path}': must be less than or equal to ${max}.`, path);
}

/** A parameter the model does not take at all. */
export function unsupportedWithModel(name: string): ModelInputError {
  return new ModelInputError('unsupported_parameter', `Unsupported parameter: '${name}' is not supported with this model.`, name);
}

/** Who owns a schema, as OpenAI names it in "Invalid schema for …". */
export type SchemaOwner =
  | { readonly kind: 'response_format'; readonly name: string; readonly param?: string }
  | { readonly kind: 'function'; readonly name: string; readonly param: string };

/** OpenAI's 400 for a schema it will not use: `detail` already carries its "In context=(…), " when it has one. */
export function invalidSchema(owner: SchemaOwner, detail: string): ModelInputError {
  if (owner.kind === 'response_format') {
    // The Responses API names the same schema `text.format.schema`.
    return new ModelInputError('invalid_json_schema', `Invalid schema for response_format '${owner.name}': ${detail}`, owner.param ?? 'response_format');
  }
  return new ModelInputError('invalid_function_parameters', `Invalid schema for function '${owner.name}': ${detail}`, owner.param);
}
