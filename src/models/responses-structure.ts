import { invalidType, invalidValue, missingParameter, ModelInputError } from './errors.js';
import { isSchemaObject } from './json-schema.js';
import type { ChatMessage } from './messages.js';
import type { Body } from './params.js';
import { checkStrict, readName, type ResponseFormat } from './response-format.js';
import { readFunction, type FunctionTool, type ToolMode, type ToolSpec } from './tools.js';

const FORMAT_TYPES: readonly string[] = ['text', 'json_schema', 'json_object'];
const CHOICE_VALUES: readonly string[] = ['none', 'auto', 'required'];
const TEXT: ResponseFormat = { kind: 'text' };

/**
 * The Responses API's `text.format`, the flat form of chat's `response_format`
 * (`{type:"json_schema", name, schema, strict}`), validated as OpenAI does.
 * `json_object` needs the word "json" in the input messages: OpenAI does not
 * look at `instructions`.
 */
export function readTextFormat(body: Body, conversation: readonly ChatMessage[]): ResponseFormat {
  const text = body['text'];
  if (text === undefined || text === null) return TEXT;
  if (!isSchemaObject(text)) throw invalidType('text', 'an object', text);
  const format = text['format'];
  if (format === undefined || format === null) return TEXT;
  if (!isSchemaObject(format)) throw invalidType('text.format', 'an object', format);
  const type = format['type'];
  if (type === undefined) throw missingParameter('text.format.type');
  if (typeof type !== 'string') throw invalidType('text.format.type', 'a string', type);
  if (!FORMAT_TYPES.includes(type)) throw invalidValue('text.format.type', type, FORMAT_TYPES);
  if (type === 'text') return TEXT;
  if (type === 'json_object') {
    if (!conversation.some((m) => m.texts.some((t) => /json/i.test(t)))) {
      throw new ModelInputError(null, "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", 'input');
    }
    return { kind: 'json_object' };
  }
  const name = readName(format['name'], 'text.format.name');
  const schema = format['schema'];
  if (schema === undefined || schema === null) throw missingParameter('text.format.schema');
  if (!isSchemaObject(schema)) throw invalidType('text.format.schema', 'an object', schema);
  const strict = format['strict'];
  if (strict !== undefined && strict !== null && typeof strict !== 'boolean') throw invalidType('text.format.strict', 'a boolean', strict);
  if (strict === true) checkStrict(schema, { kind: 'response_format', name, param: 'text.format.schema' });
  return { kind: 'json_schema', name, schema, strict: strict === true };
}

/**
 * The function tools of `tools` (`{type:"function", name, description,
 * parameters, strict}`), with `tool_choice` and `parallel_tool_calls`; the
 * other tool types (web search, file search, MCP, …) are accepted and never
 * called. Undefined when no function is declared: nothing can be called.
 */
export function readResponseTools(body: Body): ToolSpec | undefined {
  const raw = body['tools'];
  const functions: FunctionTool[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw invalidType('tools', 'an array of objects', raw);
    raw.forEach((item: unknown, i) => {
      const path = `tools[${i}]`;
      if (!isSchemaObject(item)) throw invalidType(path, 'an object', item);
      const type = item['type'];
      if (type === undefined) throw missingParameter(`${path}.type`);
      if (typeof type !== 'string') throw invalidType(`${path}.type`, 'a string', type);
      if (type === 'function') functions.push(readFunction(item, path));
    });
  }
  const parallel = body['parallel_tool_calls'];
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') throw invalidType('parallel_tool_calls', 'a boolean', parallel);
  const mode = readChoice(body['tool_choice'], functions);
  if (functions.length === 0) return undefined;
  return { tools: functions, mode, parallel: parallel !== false, legacy: false };
}

/** `tool_choice`: a mode, `{type:"function", name}`, or another tool type's choice (no function is then called). */
function readChoice(raw: unknown, functions: readonly FunctionTool[]): ToolMode {
  if (raw === undefined || raw === null) return 'auto';
  if (typeof raw === 'string') {
    if (!CHOICE_VALUES.includes(raw)) throw invalidValue('tool_choice', raw, CHOICE_VALUES);
    return raw as ToolMode;
  }
  if (!isSchemaObject(raw)) throw invalidType('tool_choice', "one of one of 'none', 'auto', or 'required' or object", raw);
  if (raw['type'] !== 'function') return 'none';
  const name = raw['name'];
  if (name === undefined || name === null) throw missingParameter('tool_choice.name');
  if (typeof name !== 'string') throw invalidType('tool_choice.name', 'a string', name);
  if (!functions.some((f) => f.name === name)) throw new ModelInputError(null, `Tool choice '${name}' not found in 'tools' parameter.`, 'tool_choice');
  return { name };
}
