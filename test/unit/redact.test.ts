import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/surfaces/http/redact.js';

const SECRET = '0123456789abcdef0123456789abcdef';

/** `char` percent-encoded, then the result encoded again, `times` times in all. */
function deeplyEncoded(char: string, times: number): string {
  let text = `%${char.charCodeAt(0).toString(16)}`;
  for (let i = 1; i < times; i++) text = text.replace(/%/g, '%25');
  return text;
}

test('redactUrl: a secret run is hidden however the path carries it', () => {
  const cases: [string, string][] = [
    [`/${SECRET}/metadata/identity/oauth2/token`, '/***/metadata/identity/oauth2/token'],
    [`/..%2f${SECRET}/metadata`, '/../***/metadata'],
    [`/..%252F${SECRET.toUpperCase()}/metadata`, '/../***/metadata'],
    [`/${[...SECRET].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`, '/***'],
    [`/a-${SECRET}-b`, '/a-***-b'],
    [`/${SECRET.slice(0, 16)}/${SECRET.slice(16)}`, '/***/***'],
    [`/x?resource=${SECRET}&client_secret=abc&api-version=2018-02-01`, '/x?resource=***&client_secret=***&api-version=2018-02-01'],
    [`/${deeplyEncoded('A', 9)}`, '***'],
    [`/${deeplyEncoded('A', 8)}`, '/A'],
    ['/%zz/bad', '/%zz/bad'],
  ];
  for (const [url, shown] of cases) assert.equal(redactUrl(url), shown, url);
});

test('redactUrl: ordinary paths stay readable', () => {
  const arm = '/subscriptions/6f1c0b1e-8a0b-4c55-9d4e-1f2a3b4c5d6e/resourceGroups/demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u/federatedIdentityCredentials/fic';
  assert.equal(redactUrl(`${arm}?api-version=2024-11-30`), `${arm}?api-version=2024-11-30`);
  assert.equal(redactUrl('/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21'), '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
});
