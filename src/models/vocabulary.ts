/**
 * The simulator's small vocabulary: sentence templates whose `{N}` (noun),
 * `{A}` (adjective), `{V}` (verb) and `{D}` (adverb) slots are filled at random.
 * Plain ASCII only, no vowel-initial adjectives (so "a {A}" reads well).
 */
export const OPENERS: readonly string[] = [
  'Sure.',
  'Certainly.',
  'Good question.',
  'Happy to help.',
  'Of course.',
  'Here is a short answer.',
  'Thanks for asking.',
];

export const CLOSERS: readonly string[] = [
  'Let me know if you would like more detail.',
  'I hope this helps.',
  'Feel free to ask a follow-up question.',
  'That should cover the basics.',
];

export const BODY_TEMPLATES: readonly string[] = [
  'The {A} {N} {V} the {N} {D}.',
  'In most cases, a {A} {N} {V} a {A} {N}.',
  'It is worth noting that every {N} {V} its own {N}.',
  'A simple approach is to start with the {N} and then review the {N}.',
  'This {V} the {A} {N} without changing the {N}.',
  'Many teams find that the {N} {V} {D} when the {N} is {A}.',
  'You can check the {N} first, then adjust the {N} as needed.',
  'Overall, the {A} {N} is usually the best place to begin.',
  'When the {N} changes, the {N} {V} {D}.',
  'A {A} {N} often {V} the {N} more than expected.',
];

export const SLOTS: Readonly<Record<string, readonly string[]>> = {
  N: [
    'system', 'request', 'model', 'result', 'process', 'service', 'value', 'team', 'project', 'design',
    'approach', 'setting', 'record', 'response', 'question', 'network', 'policy', 'resource', 'method', 'pattern',
  ],
  A: ['simple', 'careful', 'reliable', 'small', 'clear', 'common', 'useful', 'stable', 'flexible', 'quick', 'modern', 'typical'],
  V: ['improves', 'supports', 'handles', 'reflects', 'explains', 'shapes', 'affects', 'follows', 'includes', 'defines'],
  D: ['quickly', 'reliably', 'clearly', 'carefully', 'gradually', 'consistently', 'naturally', 'smoothly'],
};

export const QUOTE_TEMPLATES: readonly ((quote: string) => string)[] = [
  (q) => `You asked about "${q}".`,
  (q) => `Regarding "${q}", here is a brief overview.`,
  (q) => `On "${q}": here are a few thoughts.`,
];
