import type { Rng } from './rng.js';
import type { Tokenizer } from './tokenizer.js';

/** Tokens offered as the less likely alternatives (each one token in both encodings). */
const ALTERNATIVES: readonly string[] = [
  ' the', ' a', ',', '.', ' and', ' to', ' of', ' is', ' in', ' it', ' that', ' for', ' this', ' with', ' on', ' as', ' be',
  ' can', ' are', ' or', ' you', ' not', ' we', ' an', ' by', ' from', ' at', ' more', ' when', ' will', ' all', ' one',
];

export interface TopLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly bytes: number[];
}

/** One entry of chat's `logprobs.content`. */
export interface TokenLogprob extends TopLogprob {
  readonly top_logprobs: TopLogprob[];
}

/**
 * Deterministic log probabilities for the given tokens: the chosen token is
 * always the most likely (p ≥ 0.5), followed by `top - 1` alternatives of
 * halving probability, so each position's probabilities sum to at most 1.
 */
export function tokenLogprobs(ids: readonly number[], tok: Tokenizer, rng: Rng, top: number): TokenLogprob[] {
  const alternatives = top > 1 ? alternativeIds(tok) : [];
  return ids.map((id) => {
    // Never quite certain, so that the alternatives have some probability left.
    const chosen = round(-1e-6 - 0.6931 * rng.next() ** 3);
    const entry = describe(id, tok, chosen);
    const tops: TopLogprob[] = top > 0 ? [entry] : [];
    let rest = 1 - Math.exp(chosen);
    let start = rng.int(0, alternatives.length - 1);
    for (let k = 1; k < top && alternatives.length > 0; k++) {
      let alt = alternatives[start % alternatives.length] ?? 0;
      if (alt === id) alt = alternatives[++start % alternatives.length] ?? 0;
      start++;
      rest /= 2;
      tops.push(describe(alt, tok, round(Math.log(rest * (0.5 + 0.5 * rng.next())))));
    }
    return { ...entry, top_logprobs: tops };
  });
}

/** The legacy completions shape of the same numbers. */
export interface LegacyLogprobs {
  tokens: string[];
  token_logprobs: number[];
  top_logprobs: Record<string, number>[];
  text_offset: number[];
}

/**
 * `logprobs` of a legacy completion: `top` most likely tokens per position,
 * always including the chosen one (OpenAI: "up to logprobs+1 elements").
 * `offset` is where the text starts, counted in characters from the start of
 * the prompt.
 */
export function legacyLogprobs(ids: readonly number[], tok: Tokenizer, rng: Rng, top: number, offset: number): LegacyLogprobs {
  const entries = tokenLogprobs(ids, tok, rng, Math.max(top, 1));
  const out: LegacyLogprobs = { tokens: [], token_logprobs: [], top_logprobs: [], text_offset: [] };
  let at = offset;
  for (const entry of entries) {
    out.tokens.push(entry.token);
    out.token_logprobs.push(entry.logprob);
    out.top_logprobs.push(Object.fromEntries(entry.top_logprobs.map((t) => [t.token, t.logprob])));
    out.text_offset.push(at);
    at += codePoints(entry.token);
  }
  return out;
}

function describe(id: number, tok: Tokenizer, logprob: number): TopLogprob {
  const bytes = Array.from(tok.tokenBytes(id));
  return { token: tokenText(id, tok, bytes), logprob, bytes };
}

/** The token's text, or `bytes:\xNN…` for a token that is only part of a UTF-8 character (as OpenAI writes it). */
function tokenText(id: number, tok: Tokenizer, bytes: readonly number[]): string {
  const text = tok.decode([id]);
  if (!text.includes('\uFFFD')) return text;
  return `bytes:${bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}`;
}

const alternativeCache = new Map<string, readonly number[]>();

function alternativeIds(tok: Tokenizer): readonly number[] {
  let ids = alternativeCache.get(tok.name);
  if (ids === undefined) {
    ids = [...new Set(ALTERNATIVES.map((text) => tok.unitIds(text)[0] ?? 0))];
    alternativeCache.set(tok.name, ids);
  }
  return ids;
}

function round(logprob: number): number {
  return Math.round(logprob * 1e8) / 1e8 || 0;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
