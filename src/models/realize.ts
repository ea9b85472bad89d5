import type { Tokenizer } from './tokenizer.js';

export type FinishReason = 'stop' | 'length';

/** A generated text, cut to the token limit. */
export interface Generated {
  readonly content: string;
  /** Stream deltas (a word with its leading space, or one token of JSON); they concatenate to `content`. */
  readonly deltas: readonly string[];
  /** The token ids of each delta (what logprobs describe). */
  readonly deltaIds: readonly (readonly number[])[];
  readonly tokens: number;
  readonly finishReason: FinishReason;
}

/** Counts the composed units' tokens one by one, stopping at exactly `limit` tokens. */
export function realize(units: readonly string[], tok: Tokenizer, limit: number | undefined): Generated {
  let tokens = 0;
  const deltaIds: (readonly number[])[] = [];
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? '';
    const ids = tok.unitIds(unit);
    if (limit !== undefined && tokens + ids.length > limit) {
      const deltas = units.slice(0, i);
      const kept = ids.slice(0, limit - tokens);
      const partial = decodePrefix(tok, kept, unit);
      if (partial !== '') {
        deltas.push(partial);
        deltaIds.push(kept);
      }
      return { content: deltas.join(''), deltas, deltaIds, tokens: limit, finishReason: 'length' };
    }
    deltaIds.push(ids);
    tokens += ids.length;
  }
  return { content: units.join(''), deltas: units, deltaIds, tokens, finishReason: 'stop' };
}

/**
 * A whole text (JSON content, tool-call arguments) as the model would stream
 * it: one delta per token, cut at `limit` tokens. Tokens that end inside a
 * UTF-8 character are joined to the next one, so every delta is whole text.
 */
export function realizeText(text: string, tok: Tokenizer, limit: number | undefined): Generated {
  const all = tok.encode(text);
  const ids = limit !== undefined && all.length > limit ? all.slice(0, limit) : all;
  const finishReason: FinishReason = ids.length < all.length ? 'length' : 'stop';
  if (ids.length === all.length && isAscii(text)) {
    // The common case: every token is whole ASCII text, decoded one by one.
    const deltas = ids.map((id) => tok.decode([id]));
    return { content: text, deltas, deltaIds: ids.map((id) => [id]), tokens: ids.length, finishReason };
  }
  const decoder = new TextDecoder('utf-8');
  const deltas: string[] = [];
  const deltaIds: number[][] = [];
  let pending: number[] = [];
  for (const id of ids) {
    pending.push(id);
    const piece = decoder.decode(tok.tokenBytes(id), { stream: true });
    if (piece === '') continue;
    deltas.push(piece);
    deltaIds.push(pending);
    pending = [];
  }
  if (pending.length > 0 && deltaIds.length > 0) deltaIds[deltaIds.length - 1]?.push(...pending);
  return { content: deltas.join(''), deltas, deltaIds, tokens: ids.length, finishReason };
}

function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

/** The text of a unit's first tokens, without a half-decoded trailing character. */
function decodePrefix(tok: Tokenizer, ids: readonly number[], unit: string): string {
  let text = ids.length === 0 ? '' : tok.decode(ids);
  while (text.endsWith('\uFFFD') && !unit.startsWith(text)) text = text.slice(0, -1);
  return text;
}
