import type { ChatMessage } from './messages.js';

/** The most responses kept: OpenAI keeps them 30 days; Keyless, the last thousand, in memory. */
export const MAX_STORED_RESPONSES = 1000;
/** And at most this many characters of answers and conversations together (about 64 MB of UTF-16). */
const MAX_STORED_CHARS = 32 * 1024 * 1024;

/** What the surfaces read of stored responses: the serialised Response, by owner and id. */
export interface StoredResponses {
  /** The response as it was answered, or undefined when this owner has none by that id. */
  get(scope: string, id: string): string | undefined;
  /** True when there was one to delete. */
  delete(scope: string, id: string): boolean;
}

interface Entry {
  readonly json: string;
  readonly conversation: readonly ChatMessage[];
  readonly chars: number;
}

/**
 * Responses created with `store` (OpenAI's default), for `GET`/`DELETE
 * /responses/{id}` and `previous_response_id`. Each belongs to a scope (an
 * account on the data plane): another scope does not see it. Bounded: the
 * oldest go first, and nothing survives a restart.
 */
export class ResponseStore implements StoredResponses {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(private readonly maxEntries = MAX_STORED_RESPONSES) {}

  put(scope: string, id: string, json: string, conversation: readonly ChatMessage[]): void {
    let chars = json.length;
    for (const message of conversation) for (const text of message.texts) chars += text.length;
    if (chars > MAX_STORED_CHARS) return; // larger than the whole store: not kept
    const key = keyOf(scope, id);
    this.remove(key);
    this.entries.set(key, { json, conversation, chars });
    this.chars += chars;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.chars <= MAX_STORED_CHARS) break;
      this.remove(oldest);
    }
  }

  get(scope: string, id: string): string | undefined {
    return this.entries.get(keyOf(scope, id))?.json;
  }

  /** The conversation a response continuing this one starts from. */
  conversation(scope: string, id: string): readonly ChatMessage[] | undefined {
    return this.entries.get(keyOf(scope, id))?.conversation;
  }

  delete(scope: string, id: string): boolean {
    return this.remove(keyOf(scope, id));
  }

  private remove(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.entries.delete(key);
    this.chars -= entry.chars;
    return true;
  }
}

const keyOf = (scope: string, id: string): string => `${scope}\u0000${id}`;
