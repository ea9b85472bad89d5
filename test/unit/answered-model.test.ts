import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_CATALOG, answeredModelName } from '../../src/models/index.js';

/** Azure's `model` for every catalog model: the dated ones carry their date, ada-002 is `ada`. */
test('the model name each catalog model answers with', () => {
  const answered = Object.fromEntries(MODEL_CATALOG.map((m) => [m.id, answeredModelName(m.name, m.version)]));
  assert.deepEqual(answered, {
    'gpt-4o-2024-05-13': 'gpt-4o-2024-05-13',
    'gpt-4o-2024-08-06': 'gpt-4o-2024-08-06',
    'gpt-4o-2024-11-20': 'gpt-4o-2024-11-20',
    'gpt-4o-mini-2024-07-18': 'gpt-4o-mini-2024-07-18',
    'gpt-4.1-2025-04-14': 'gpt-4.1-2025-04-14',
    'gpt-4.1-mini-2025-04-14': 'gpt-4.1-mini-2025-04-14',
    'gpt-4.1-nano-2025-04-14': 'gpt-4.1-nano-2025-04-14',
    'gpt-4-turbo-2024-04-09': 'gpt-4-turbo-2024-04-09',
    'gpt-35-turbo-0125': 'gpt-35-turbo',
    'gpt-35-turbo-1106': 'gpt-35-turbo',
    'gpt-35-turbo-instruct-0914': 'gpt-35-turbo-instruct',
    'o1-2024-12-17': 'o1-2024-12-17',
    'o3-mini-2025-01-31': 'o3-mini-2025-01-31',
    'o4-mini-2025-04-16': 'o4-mini-2025-04-16',
    'gpt-5-2025-08-07': 'gpt-5-2025-08-07',
    'gpt-5-mini-2025-08-07': 'gpt-5-mini-2025-08-07',
    'gpt-5-nano-2025-08-07': 'gpt-5-nano-2025-08-07',
    'gpt-5-chat-2025-08-07': 'gpt-5-chat-2025-08-07',
    'text-embedding-3-small-1': 'text-embedding-3-small',
    'text-embedding-3-large-1': 'text-embedding-3-large',
    'text-embedding-ada-002-2': 'ada',
  });
  // A deployment spells the name in any case; the answer uses Azure's. A model the catalog lacks follows the same rule.
  assert.equal(answeredModelName('GPT-4o', '2024-08-06'), 'gpt-4o-2024-08-06');
  assert.equal(answeredModelName('my-model', '2025-01-01'), 'my-model-2025-01-01');
});
