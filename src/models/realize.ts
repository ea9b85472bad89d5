import type { Tokenizer } from './tokenizer.js';

export type FinishReason = 'stop' | 'length';

/** A generated text, cut to the token limit. */
export interface Generated {
  readonly content: string;
  /** Stream deltas, one per unit (a word with its leading space); they concatenate to `content`. */
  readonly deltas: readonly string[];
  readonly tokens: number;
  readonly finishReason: FinishReason;
}

/** Counts the composed units' tokens one by one, stopping at exactly `limit` tokens. */
export function realize(units: readonly string[], tok: Tokenizer, limit: number | undefined): Generated {
  let tokens = 0;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? '';
    const ids = tok.unitIds(unit);
    if (limit !== undefined && tokens + ids.length > limit) {
      const deltas = units.slice(0, i);
      const partial = decodePrefix(tok, ids.slice(0, limit - tokens), unit);
      if (partial !== '') deltas.push(partial);
      return { content: deltas.join(''), deltas, tokens: limit, finishReason: 'length' };
    }
    tokens += ids.length;
  }
  return { content: units.join(''), deltas: units, tokens, finishReason: 'stop' };
}

/** The text of a unit's first tokens, without a half-decoded trailing character. */
function decodePrefix(tok: Tokenizer, ids: readonly number[], unit: string): string {
  let text = ids.length === 0 ? '' : tok.decode(ids);
  while (text.endsWith('\uFFFD') && !unit.startsWith(text)) text = text.slice(0, -1);
  return text;
}
