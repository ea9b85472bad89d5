/**
 * Azure's content filter annotations. The simulator never filters: every
 * category is "safe". Shared frozen objects; they are only ever serialised.
 */
const SAFE = Object.freeze({ filtered: false, severity: 'safe' as const });

export type ContentFilterResults = typeof CONTENT_FILTER_SAFE;

/** On each completion choice (and streamed content chunk). */
export const CONTENT_FILTER_SAFE = Object.freeze({ hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE });

/** On each prompt: the same categories plus the jailbreak (prompt shield) check. */
export const PROMPT_FILTER_SAFE = Object.freeze({
  hate: SAFE,
  jailbreak: Object.freeze({ filtered: false, detected: false }),
  self_harm: SAFE,
  sexual: SAFE,
  violence: SAFE,
});

export interface PromptFilterResult {
  readonly prompt_index: number;
  readonly content_filter_results: typeof PROMPT_FILTER_SAFE;
}

const ONE_PROMPT: readonly PromptFilterResult[] = Object.freeze([
  Object.freeze({ prompt_index: 0, content_filter_results: PROMPT_FILTER_SAFE }),
]);

/** `prompt_filter_results` for `count` prompts (chat always has one). */
export function promptFilterResults(count = 1): readonly PromptFilterResult[] {
  if (count === 1) return ONE_PROMPT;
  return Array.from({ length: count }, (_, i) => ({ prompt_index: i, content_filter_results: PROMPT_FILTER_SAFE }));
}

/** The first chunk of an Azure stream: prompt annotations only, empty ids. */
export function promptFilterChunk(count = 1): Record<string, unknown> {
  return { id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: promptFilterResults(count) };
}

/** A category the filter caught (an injected fault's: Keyless names violence at medium severity). */
const CAUGHT = Object.freeze({ filtered: true, severity: 'medium' as const });

/** A completion choice the filter cut (`finish_reason: "content_filter"`). */
export const CONTENT_FILTER_CAUGHT = Object.freeze({ hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: CAUGHT });

/** A prompt the filter refused (the 400's `innererror.content_filter_result`). */
export const PROMPT_FILTER_CAUGHT = Object.freeze({
  hate: SAFE,
  jailbreak: Object.freeze({ filtered: false, detected: false }),
  self_harm: SAFE,
  sexual: SAFE,
  violence: CAUGHT,
});
