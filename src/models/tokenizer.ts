import { createRequire } from 'node:module';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Model families tokenised with o200k_base; everything else uses cl100k_base. */
const O200K_MODELS = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|o1|o3|o4|gpt-5)/i;

export function encodingForModel(modelName: string): EncodingName {
  return O200K_MODELS.test(modelName) ? 'o200k_base' : 'cl100k_base';
}

const COUNT_CACHE_MAX = 1024;
const COUNT_CACHE_MAX_CHARS = 2048;
const UNIT_CACHE_MAX = 8192;
const PIECE_CHARS = 512;

/** What counts tokens: the real encoder, or an estimate (the quota's, which must stay cheap). */
export interface TokenCounter {
  count(text: string): number;
}

/**
 * One BPE encoder with two bounded caches (emptied when full): token counts of
 * recent short strings (system prompts repeat) and token ids of reply units.
 * Each js-tiktoken encode call costs a few µs of set-up, so hits matter.
 * Special-token text is encoded as plain text, as the service does for content.
 */
export class Tokenizer implements TokenCounter {
  private readonly counts = new Map<string, number>();
  private readonly units = new Map<string, readonly number[]>();

  constructor(
    readonly name: EncodingName,
    private readonly bpe: Tiktoken,
  ) {}

  encode(text: string): number[] {
    return text === '' ? [] : this.bpe.encode(text, [], []);
  }

  decode(ids: readonly number[]): string {
    return this.bpe.decode(ids as number[]);
  }

  /** Number of tokens in `text`. */
  count(text: string): number {
    if (text === '') return 0;
    if (text.length > COUNT_CACHE_MAX_CHARS) return this.countLong(text);
    let n = this.counts.get(text);
    if (n === undefined) {
      n = this.encode(text).length;
      if (this.counts.size >= COUNT_CACHE_MAX) this.counts.clear();
      this.counts.set(text, n);
    }
    return n;
  }

  /**
   * The bytes of one token. js-tiktoken keeps each rank's bytes in its
   * `textMap` but only exposes whole-sequence decoding; a token can be part of
   * a UTF-8 character, which decode() would turn into U+FFFD. Falls back to
   * the decoded text's bytes should that field ever go.
   */
  tokenBytes(id: number): Uint8Array {
    const bytes = (this.bpe as unknown as { textMap?: Map<number, Uint8Array> }).textMap?.get(id);
    return bytes ?? new TextEncoder().encode(this.decode([id]));
  }

  /**
   * A long text counted in pieces of at most PIECE_CHARS, cut before a
   * whitespace where there is one (BPE pieces start at one, so the count is
   * the same). A run of PIECE_CHARS without whitespace is no word (a blob, or
   * an attack: js-tiktoken's merge is quadratic within one piece, and such a
   * run must not hold the process): it is estimated at four characters a token.
   */
  private countLong(text: string): number {
    let total = 0;
    for (let start = 0; start < text.length; ) {
      let end = Math.min(text.length, start + PIECE_CHARS);
      if (end < text.length) {
        const cut = lastWhitespace(text, start, end);
        if (cut === -1) {
          const run = nextWhitespace(text, end);
          total += Math.ceil((run - start) / 4);
          start = run;
          continue;
        }
        end = cut;
      }
      total += this.encode(text.slice(start, end)).length;
      start = end;
    }
    return total;
  }

  /** Token ids of a reply unit (a vocabulary word, or a word quoted from the user), cached. */
  unitIds(text: string): readonly number[] {
    let ids = this.units.get(text);
    if (ids === undefined) {
      ids = this.encode(text);
      if (this.units.size >= UNIT_CACHE_MAX) this.units.clear();
      this.units.set(text, ids);
    }
    return ids;
  }
}

// The rank tables are large (1-2 MB of source, ~1 s to build): load and build
// each on first use only, through require so the load stays synchronous.
const load = createRequire(import.meta.url);
const tokenizers = new Map<EncodingName, Tokenizer>();

export function tokenizer(name: EncodingName): Tokenizer {
  let found = tokenizers.get(name);
  if (found === undefined) {
    const ranks = load(`js-tiktoken/ranks/${name}`) as TiktokenBPE;
    found = new Tokenizer(name, new Tiktoken(ranks));
    tokenizers.set(name, found);
  }
  return found;
}

export function tokenizerForModel(modelName: string): Tokenizer {
  return tokenizer(encodingForModel(modelName));
}

const isWhitespace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The last whitespace in (from, to), or -1. */
function lastWhitespace(text: string, from: number, to: number): number {
  for (let i = to; i > from; i--) if (isWhitespace(text.charCodeAt(i))) return i;
  return -1;
}

/** The first whitespace at or after `from`, or the text's end. */
function nextWhitespace(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (isWhitespace(text.charCodeAt(i))) return i;
  return text.length;
}
