import type { Rng } from './rng.js';
import { BODY_TEMPLATES, CLOSERS, OPENERS, QUOTE_TEMPLATES, SLOTS } from './vocabulary.js';

export interface ComposeOptions {
  /** Chat style: opener, optional quote, closer. */
  readonly conversational: boolean;
  readonly leadingSpace: boolean;
  /** A phrase from the user's message (see `quotePhrase`), or ''. */
  readonly quote: string;
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

/** A short single-line phrase from the start of user text, without double quotes, or ''. */
export function quotePhrase(text: string | undefined): string {
  if (text === undefined) return '';
  const words = text.trimStart().slice(0, 256).replace(/"/g, '').trim().split(/\s+/, QUOTE_MAX_WORDS);
  let phrase = words.join(' ');
  if (phrase.length > QUOTE_MAX_CHARS) {
    const cut = phrase.lastIndexOf(' ', QUOTE_MAX_CHARS);
    phrase = cut > 0 ? phrase.slice(0, cut) : Array.from(phrase).slice(0, QUOTE_MAX_CHARS / 2).join('');
  }
  return phrase;
}

/**
 * A reply as a list of units: the first starts without a space (unless
 * `leadingSpace`), every other one is " " + a word (punctuation attached).
 * No unit ends in whitespace, so each unit boundary is also a boundary of the
 * BPE pre-tokeniser: the reply's token ids are the concatenation of its units'.
 */
export function compose(rng: Rng, options: ComposeOptions): string[] {
  const units: string[] = [];
  const push = (text: string): void => {
    units.push(units.length === 0 && !options.leadingSpace ? text : ` ${text}`);
  };
  const sentence = (words: readonly Word[]): void => {
    for (const word of words) push(word.slot === undefined ? word.text : rng.pick(word.slot) + word.text);
  };

  if (options.conversational) {
    if (rng.chance(0.7)) sentence(rng.pick(OPENER_WORDS));
    if (options.quote !== '' && rng.chance(0.6)) {
      for (const word of rng.pick(QUOTE_TEMPLATES)(options.quote).split(' ')) push(word);
    }
  }
  const bodyCount = rng.int(1, 4);
  for (let i = 0; i < bodyCount; i++) sentence(rng.pick(BODY_WORDS));
  if (options.conversational && rng.chance(0.5)) sentence(rng.pick(CLOSER_WORDS));
  return units;
}
