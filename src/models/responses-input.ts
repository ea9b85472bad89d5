import { emptyArray, invalidType, invalidValue, missingParameter } from './errors.js';
import { readContentPart, type ChatMessage, type ChatPrompt } from './messages.js';
import type { Body } from './params.js';

/** Roles a Responses API input message may have (EasyInputMessage / Message). */
const ROLES: readonly string[] = ['user', 'assistant', 'system', 'developer'];
/** Item types the simulator reads; the others (tool calls of built-in tools, MCP, …) are refused by name. */
const ITEM_TYPES: readonly string[] = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference'];
const PART_TYPES: readonly string[] = ['input_text', 'input_image', 'input_file', 'input_audio', 'output_text', 'refusal'];

/**
 * A Responses API conversation, reduced to the chat messages the simulator
 * counts and hashes: the stored history of `previous_response_id` first,
 * then the request's `input`. `instructions` are not part of it: OpenAI does
 * not carry them over to a chained response.
 */
export function readInput(body: Body, history: readonly ChatMessage[]): ChatMessage[] {
  const raw = body['input'];
  const messages = [...history];
  if (raw === undefined || raw === null) {
    if (history.length === 0) throw missingParameter('input');
    return messages;
  }
  if (typeof raw === 'string') {
    messages.push({ role: 'user', name: undefined, texts: [raw], images: 0 });
    return messages;
  }
  if (!Array.isArray(raw)) throw invalidType('input', 'one of a string or array of objects', raw);
  raw.forEach((item: unknown, i) => {
    const message = readItem(item, `input[${i}]`);
    if (message !== undefined) messages.push(message);
  });
  if (messages.length === 0) throw emptyArray('input');
  return messages;
}

/** The prompt the model sees: instructions (as a developer message), then the conversation. */
export function promptOf(instructions: string | undefined, conversation: readonly ChatMessage[]): ChatPrompt {
  const messages: ChatMessage[] = instructions === undefined ? [...conversation] : [{ role: 'developer', name: undefined, texts: [instructions], images: 0 }, ...conversation];
  let canonical = '';
  let lastUserText: string | undefined;
  for (const message of messages) {
    canonical += `${message.role}\u001f${message.images}\u001f${message.texts.join('\u001e')}\u001d`;
    if (message.role === 'user') lastUserText = message.texts.join(' ');
  }
  return { messages, canonical, lastUserText };
}

/** One input item as a message, or undefined for an item that carries nothing to count (reasoning, references). */
function readItem(item: unknown, path: string): ChatMessage | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidType(path, 'an object', item);
  const body = item as Body;
  const type = body['type'] ?? 'message';
  if (typeof type !== 'string') throw invalidType(`${path}.type`, 'a string', type);
  if (!ITEM_TYPES.includes(type)) throw invalidValue(`${path}.type`, type, ITEM_TYPES);
  switch (type) {
    case 'message':
      return readMessage(body, path);
    case 'function_call':
      return { role: 'assistant', name: undefined, texts: [requiredString(body, path, 'name'), requiredString(body, path, 'arguments')], images: 0 };
    case 'function_call_output': {
      const output = body['output'];
      if (output === undefined) throw missingParameter(`${path}.output`);
      return { role: 'tool', name: undefined, texts: [typeof output === 'string' ? output : JSON.stringify(output)], images: 0 };
    }
    default:
      return undefined;
  }
}

function readMessage(body: Body, path: string): ChatMessage {
  const role = body['role'];
  if (role === undefined) throw missingParameter(`${path}.role`);
  if (typeof role !== 'string') throw invalidType(`${path}.role`, 'a string', role);
  if (!ROLES.includes(role)) throw invalidValue(`${path}.role`, role, ROLES);
  const content = body['content'];
  if (content === undefined) throw missingParameter(`${path}.content`);
  if (typeof content === 'string') return { role, name: undefined, texts: [content], images: 0 };
  if (!Array.isArray(content)) throw invalidType(`${path}.content`, 'one of a string or array of objects', content);
  const texts: string[] = [];
  let images = 0;
  content.forEach((part: unknown, j) => {
    const text = readPart(part, `${path}.content[${j}]`);
    if (text === undefined) images++;
    else texts.push(text);
  });
  return { role, name: undefined, texts, images };
}

/** The Responses API's parts: the field that holds each text-bearing type's text (the rest count as images). */
const TEXT_FIELDS: Readonly<Record<string, string>> = { input_text: 'text', output_text: 'text', refusal: 'refusal' };

function readPart(part: unknown, path: string): string | undefined {
  return readContentPart(part, path, PART_TYPES, TEXT_FIELDS);
}

function requiredString(body: Body, path: string, name: string): string {
  const value = body[name];
  if (value === undefined) throw missingParameter(`${path}.${name}`);
  if (typeof value !== 'string') throw invalidType(`${path}.${name}`, 'a string', value);
  return value;
}
