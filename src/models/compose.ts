import type { Rng } from './rng.js';
import { BODY_TEMPLATES, CLOSERS, OPENERS, QUOTE_TEMPLATES, SLOTS } from './vocabulary.js';

/**
 * A reply as a list of units: the first starts without a space (unless
 * `leadingSpace`), every other one is " " + a word or a quoted phrase.
 * No unit ends in whitespace, so each unit boundary is also a boundary of the
 * BPE pre-tokeniser: the reply's token ids are the concatenation of its units'.
 */
export interface Composition {
  readonly units: string[];
  /** The unit holding user text (not cacheable), or -1. */
  readonly quoteIndex: number;
}

export interface ComposeOptions {
  /** Chat style: opener, optional quote of `quoteSource`, closer. */
  readonly conversational: boolean;
  readonly leadingSpace: boolean;
  readonly quoteSource?: string | undefined;
}

interface Word {
  readonly slot: readonly string[] | undefined;
  readonly text: string;
}

/** Templates pre-split into words, `{X}` slots resolved to their lists. */
function parse(sentence: string): readonly Word[] {
  return sentence.split(' ').map((word) => {
    const m = /^\{([A-Z])\}(.*)$/.exec(word);
    const slot = m?.[1] === undefined ? undefined : SLOTS[m[1]];
    return slot === undefined ? { slot: undefined, text: word } : { slot, text: m?.[2] ?? '' };
  });
}

const OPENER_WORDS = OPENERS.map(parse);
const CLOSER_WORDS = CLOSERS.map(parse);
const BODY_WORDS = BODY_TEMPLATES.map(parse);

const QUOTE_MAX_WORDS = 8;
const QUOTE_MAX_CHARS = 60;

/** A short single-line phrase from user text, without double quotes, or ''. */
export function quotePhrase(text: string): string {
  const words = text.replace(/"/g, '').trim().split(/\s+/, QUOTE_MAX_WORDS);
  let phrase = words.join(' ');
  if (phrase.length > QUOTE_MAX_CHARS) {
    const cut = phrase.lastIndexOf(' ', QUOTE_MAX_CHARS);
    phrase = cut > 0 ? phrase.slice(0, cut) : Array.from(phrase).slice(0, QUOTE_MAX_CHARS / 2).join('');
  }
  return phrase;
}

export function compose(rng: Rng, options: ComposeOptions): Composition {
  const units: string[] = [];
  let quoteIndex = -1;
  const push = (text: string): void => {
    units.push(units.length === 0 && !options.leadingSpace ? text : ` ${text}`);
  };
  const sentence = (words: readonly Word[]): void => {
    for (const word of words) push(word.slot === undefined ? word.text : rng.pick(word.slot) + word.text);
  };

  if (options.conversational) {
    if (rng.chance(0.7)) sentence(rng.pick(OPENER_WORDS));
    const quote = options.quoteSource === undefined ? '' : quotePhrase(options.quoteSource);
    if (quote !== '' && rng.chance(0.6)) {
      quoteIndex = units.length;
      push(rng.pick(QUOTE_TEMPLATES)(quote));
    }
  }
  const bodyCount = rng.int(1, 4);
  for (let i = 0; i < bodyCount; i++) sentence(rng.pick(BODY_WORDS));
  if (options.conversational && rng.chance(0.5)) sentence(rng.pick(CLOSER_WORDS));
  return { units, quoteIndex };
}
