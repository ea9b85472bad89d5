import { emptyArray, invalidType, invalidValue, missingParameter, requiredProperty } from './errors.js';
import type { Body } from './params.js';
import type { TokenCounter } from './tokenizer.js';

const ROLES: readonly string[] = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];
const PART_TYPES: readonly string[] = ['text', 'image_url', 'input_audio', 'refusal', 'file'];
/** Tokens charged per image part (the low-detail base cost; an approximation). */
const IMAGE_TOKENS = 85;

/** One validated chat message, reduced to what is counted and hashed. */
export interface ChatMessage {
  readonly role: string;
  readonly name: string | undefined;
  /** Content text parts, tool-call names and arguments: each counted as tokens. */
  readonly texts: readonly string[];
  readonly images: number;
}

export interface ChatPrompt {
  readonly messages: readonly ChatMessage[];
  /** A stable text of the messages, independent of JSON key order, for hashing. */
  readonly canonical: string;
  /** Text of the last user message, for the reply's quote. */
  readonly lastUserText: string | undefined;
}

export function readMessages(body: Body): ChatPrompt {
  const raw = body['messages'];
  if (raw === undefined) throw requiredProperty('messages');
  if (!Array.isArray(raw)) throw invalidType('messages', 'an array of objects', raw);
  if (raw.length === 0) throw emptyArray('messages');
  const messages: ChatMessage[] = [];
  let canonical = '';
  let lastUserText: string | undefined;
  raw.forEach((item: unknown, i) => {
    const message = readMessage(item, `messages[${i}]`);
    messages.push(message);
    canonical += `${message.role}\u001f${message.name ?? ''}\u001f${message.images}\u001f${message.texts.join('\u001e')}\u001d`;
    if (message.role === 'user') lastUserText = message.texts.join(' ');
  });
  return { messages, canonical, lastUserText };
}

function readMessage(item: unknown, path: string): ChatMessage {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalidType(path, 'an object', item);
  const message = item as Body;
  const role = message['role'];
  if (role === undefined) throw missingParameter(`${path}.role`);
  if (typeof role !== 'string') throw invalidType(`${path}.role`, 'a string', role);
  if (!ROLES.includes(role)) throw invalidValue(`${path}.role`, role, ROLES);
  const name = message['name'];
  if (name !== undefined && typeof name !== 'string') throw invalidType(`${path}.name`, 'a string', name);

  const texts: string[] = [];
  let images = 0;
  const content = message['content'];
  if (content === undefined || content === null) {
    if (role !== 'assistant') {
      if (content === undefined) throw missingParameter(`${path}.content`);
      throw invalidType(`${path}.content`, 'one of a string or array of objects', content);
    }
  } else if (typeof content === 'string') {
    texts.push(content);
  } else if (Array.isArray(content)) {
    if (content.length === 0) throw emptyArray(`${path}.content`);
    content.forEach((part: unknown, j) => {
      const text = readPart(part, `${path}.content[${j}]`);
      if (text === undefined) images++;
      else texts.push(text);
    });
  } else {
    throw invalidType(`${path}.content`, 'one of a string or array of objects', content);
  }
  texts.push(...toolCallTexts(message));
  return { role, name, texts, images };
}

/** Chat's parts: the field that holds each text-bearing type's text (the rest are images, audio or files). */
const CHAT_TEXT_FIELDS: Readonly<Record<string, string>> = { text: 'text', refusal: 'refusal' };

function readPart(part: unknown, path: string): string | undefined {
  return readContentPart(part, path, PART_TYPES, CHAT_TEXT_FIELDS);
}

/**
 * A content part's text (chat's or the Responses API's), or undefined for a
 * non-text (image, audio, file) part. `textFields` names, per text-bearing
 * type, the field holding its text.
 */
export function readContentPart(part: unknown, path: string, types: readonly string[], textFields: Readonly<Record<string, string>>): string | undefined {
  if (typeof part !== 'object' || part === null || Array.isArray(part)) throw invalidType(path, 'an object', part);
  const body = part as Body;
  const type = body['type'];
  if (type === undefined) throw missingParameter(`${path}.type`);
  if (typeof type !== 'string') throw invalidType(`${path}.type`, 'a string', type);
  if (!types.includes(type)) throw invalidValue(`${path}.type`, type, types);
  const field = textFields[type];
  if (field === undefined) return undefined;
  const text = body[field];
  if (text === undefined) throw missingParameter(`${path}.${field}`);
  if (typeof text !== 'string') throw invalidType(`${path}.${field}`, 'a string', text);
  return text;
}

/** Names and arguments of an assistant message's tool calls (or legacy function call). */
function toolCallTexts(message: Body): string[] {
  const calls: unknown[] = [];
  const toolCalls = message['tool_calls'];
  if (Array.isArray(toolCalls)) {
    for (const call of toolCalls) if (typeof call === 'object' && call !== null) calls.push((call as Body)['function']);
  }
  if (message['function_call'] !== undefined) calls.push(message['function_call']);
  const texts: string[] = [];
  for (const fn of calls) {
    if (typeof fn !== 'object' || fn === null) continue;
    for (const key of ['name', 'arguments']) {
      const value = (fn as Body)[key];
      if (typeof value === 'string') texts.push(value);
    }
  }
  return texts;
}

/**
 * Prompt tokens by OpenAI's chat formatting rule: 3 per message, plus its
 * role, content and name (+1 for a name), plus 3 priming the assistant reply.
 */
export function countPromptTokens(prompt: ChatPrompt, tok: TokenCounter): number {
  let total = 3;
  for (const message of prompt.messages) {
    total += 3 + tok.count(message.role) + message.images * IMAGE_TOKENS;
    for (const text of message.texts) total += tok.count(text);
    if (message.name !== undefined) total += tok.count(message.name) + 1;
  }
  return total;
}
