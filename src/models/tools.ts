import { emptyArray, invalidType, invalidValue, missingParameter, ModelInputError } from './errors.js';
import { isSchemaObject, type Schema } from './json-schema.js';
import type { Body } from './params.js';
import { checkStrict, readName } from './response-format.js';
import { rootTypeFault } from './schema-strict.js';
import { invalidSchema } from './errors.js';

/** One function the model may call. */
export interface FunctionTool {
  readonly name: string;
  readonly description: string;
  /** Absent: the function takes no arguments (`{}`). */
  readonly parameters: Schema | undefined;
  readonly strict: boolean;
}

/** `tool_choice` (or the legacy `function_call`): whether and what the model must call. */
export type ToolMode = 'none' | 'auto' | 'required' | { readonly name: string };

export interface ToolSpec {
  readonly tools: readonly FunctionTool[];
  readonly mode: ToolMode;
  /** `parallel_tool_calls` (default true): several calls in one answer. */
  readonly parallel: boolean;
  /** Declared with the legacy `functions` / `function_call`: answered with `message.function_call`. */
  readonly legacy: boolean;
}

const CHOICE_VALUES: readonly string[] = ['none', 'auto', 'required'];
const LEGACY_CHOICE_VALUES: readonly string[] = ['none', 'auto'];

/** `tools` + `tool_choice` + `parallel_tool_calls`, or the legacy `functions` + `function_call`; undefined when neither is declared. */
export function readTools(body: Body): ToolSpec | undefined {
  const legacy = readLegacyFunctions(body);
  const tools = readToolList(body['tools']);
  const parallel = body['parallel_tool_calls'];
  if (parallel !== undefined && parallel !== null && typeof parallel !== 'boolean') {
    throw invalidType('parallel_tool_calls', 'a boolean', parallel);
  }
  const choice = body['tool_choice'];
  if (tools === undefined) {
    if (choice !== undefined && choice !== null) {
      throw new ModelInputError(null, "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", 'tool_choice');
    }
    return legacy;
  }
  return { tools, mode: readToolChoice(choice, tools), parallel: parallel !== false, legacy: false };
}

function readToolList(raw: unknown): FunctionTool[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalidType('tools', 'an array of objects', raw);
  if (raw.length === 0) throw emptyArray('tools');
  return raw.map((item: unknown, i) => {
    const path = `tools[${i}]`;
    if (!isSchemaObject(item)) throw invalidType(path, 'an object', item);
    const type = item['type'];
    if (type === undefined) throw missingParameter(`${path}.type`);
    if (typeof type !== 'string') throw invalidType(`${path}.type`, 'a string', type);
    if (type !== 'function') throw invalidValue(`${path}.type`, type, ['function']);
    const fn = item['function'];
    if (fn === undefined || fn === null) throw missingParameter(`${path}.function`);
    if (!isSchemaObject(fn)) throw invalidType(`${path}.function`, 'an object', fn);
    return readFunction(fn, `${path}.function`);
  });
}

/** A function definition (inside a chat tool, an item of the legacy `functions`, or a Responses API function tool). */
export function readFunction(fn: Schema, path: string): FunctionTool {
  const name = readName(fn['name'], `${path}.name`);
  const description = fn['description'];
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw invalidType(`${path}.description`, 'a string', description);
  }
  const parameters = fn['parameters'];
  if (parameters !== undefined && parameters !== null && !isSchemaObject(parameters)) {
    throw invalidType(`${path}.parameters`, 'an object', parameters);
  }
  const strict = fn['strict'];
  if (strict !== undefined && strict !== null && typeof strict !== 'boolean') throw invalidType(`${path}.strict`, 'a boolean', strict);
  const tool: FunctionTool = {
    name,
    description: typeof description === 'string' ? description : '',
    parameters: isSchemaObject(parameters) && Object.keys(parameters).length > 0 ? parameters : undefined,
    strict: strict === true,
  };
  const owner = { kind: 'function', name, param: `${path}.parameters` } as const;
  if (tool.strict) {
    checkStrict(tool.parameters ?? { type: 'object', properties: {}, additionalProperties: false }, owner);
  } else if (tool.parameters !== undefined) {
    const root = rootTypeFault(tool.parameters);
    if (root !== undefined) throw invalidSchema(owner, root);
  }
  return tool;
}

function readToolChoice(raw: unknown, tools: readonly FunctionTool[]): ToolMode {
  if (raw === undefined || raw === null) return 'auto';
  if (typeof raw === 'string') {
    if (!CHOICE_VALUES.includes(raw)) throw invalidValue('tool_choice', raw, CHOICE_VALUES);
    return raw as ToolMode;
  }
  if (!isSchemaObject(raw)) throw invalidType('tool_choice', "one of one of 'none', 'auto', or 'required' or object", raw);
  const fn = raw['function'];
  if (fn === undefined || fn === null) throw missingParameter('tool_choice.function');
  if (!isSchemaObject(fn)) throw invalidType('tool_choice.function', 'an object', fn);
  return namedChoice(fn['name'], 'tool_choice.function.name', tools);
}

function namedChoice(name: unknown, path: string, tools: readonly FunctionTool[]): ToolMode {
  if (name === undefined || name === null) throw missingParameter(path);
  if (typeof name !== 'string') throw invalidType(path, 'a string', name);
  // OpenAI words an unknown name in the legacy parameters' terms, for tool_choice too.
  if (!tools.some((t) => t.name === name)) {
    throw new ModelInputError(
      null,
      `Invalid value for 'function_call': no function named '${name}' was specified in the 'functions' parameter.`,
      'function_call',
    );
  }
  return { name };
}

function readLegacyFunctions(body: Body): ToolSpec | undefined {
  const raw = body['functions'];
  const choice = body['function_call'];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) throw invalidType('functions', 'an array of function definitions', raw);
  const tools = raw.map((item: unknown, i) => {
    if (!isSchemaObject(item)) throw invalidType(`functions[${i}]`, 'an object', item);
    return readFunction(item, `functions[${i}]`);
  });
  let mode: ToolMode = 'auto';
  if (typeof choice === 'string') {
    if (!LEGACY_CHOICE_VALUES.includes(choice)) throw invalidValue('function_call', choice, LEGACY_CHOICE_VALUES);
    mode = choice as ToolMode;
  } else if (isSchemaObject(choice)) {
    mode = namedChoice(choice['name'], 'function_call.name', tools);
  } else if (choice !== undefined && choice !== null) {
    throw invalidType('function_call', "one of 'none' or 'auto' or object", choice);
  }
  return { tools, mode, parallel: false, legacy: true };
}
