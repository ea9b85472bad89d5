/**
 * What `GET /v1/models` lists. The simulator answers any model name (it picks
 * the tokenizer and embedding size by name); these are the names it knows best.
 */
export const SERVED_MODELS: readonly string[] = [
  'gpt-4o',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-35-turbo',
  'gpt-35-turbo-instruct',
  'text-embedding-3-small',
  'text-embedding-3-large',
  'text-embedding-ada-002',
];
