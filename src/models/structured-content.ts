import type { ResponseFormat } from './response-format.js';
import type { Rng } from './rng.js';
import { schemaInstance } from './schema-instance.js';
import { SLOTS } from './vocabulary.js';

/** An object of a few words, for `json_object` mode, where any JSON object will do. */
const JSON_OBJECT_SCHEMA = {
  type: 'object',
  properties: Object.fromEntries((SLOTS['N'] ?? []).slice(0, 6).map((key, i) => [key, { type: i % 3 === 2 ? 'integer' : 'string' }])),
  required: (SLOTS['N'] ?? []).slice(0, 1),
};

/** The JSON text a structured answer carries as its content (compact, as the service writes it). */
export function structuredContent(format: Exclude<ResponseFormat, { kind: 'text' }>, rng: Rng): string {
  if (format.kind === 'json_object') return JSON.stringify(schemaInstance(JSON_OBJECT_SCHEMA, rng, { strict: false }));
  return JSON.stringify(schemaInstance(format.schema, rng, { strict: format.strict }));
}
