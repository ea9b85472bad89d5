import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floorChecks, keyCredential, tokenCredential, withFreshId } from '../../bench/floor-checks.js';

/**
 * The benchmarks' floor (bench/floor-checks.ts) is only a floor if it really
 * checks: a floor that let any caller through, or skipped the count, would
 * flatter every comparison made against it.
 */

const KEY = 'a'.repeat(64);
const TOKEN = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${'s'.repeat(342)}`;
const BODY = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 40 };

test('the floor knows only its own key, and refuses anything else with a 401', () => {
  const check = floorChecks(keyCredential(KEY));
  assert.equal(check({ 'api-key': KEY }, BODY, 60).allowed, true);
  for (const headers of [{}, { 'api-key': KEY.slice(1) }, { 'api-key': `${KEY}x` }, { 'api-key': [KEY] }, { authorization: `Bearer ${KEY}` }]) {
    const refused = check(headers, BODY, 60);
    assert.equal(refused.allowed, false, JSON.stringify(headers));
    if (!refused.allowed) assert.equal(refused.status, 401);
  }
});

test('the floor knows only its own token, compared whole, not by the characters that find it', () => {
  const check = floorChecks(tokenCredential(TOKEN));
  assert.equal(check({ authorization: `Bearer ${TOKEN}` }, BODY, 60).allowed, true);
  const sameTail = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ5In0.${'s'.repeat(342)}`;
  for (const authorization of [`Bearer ${sameTail}`, TOKEN, `Basic ${TOKEN}`, 'Bearer ']) {
    assert.equal(check({ authorization }, BODY, 60).allowed, false, authorization.slice(0, 20));
  }
});

test('each allowed call is counted: remaining requests and tokens count down, with a fresh request id', () => {
  const check = floorChecks(keyCredential(KEY));
  const first = check({ 'api-key': KEY }, BODY, 60);
  const second = check({ 'api-key': KEY }, BODY, 60);
  assert.ok(first.allowed && second.allowed);
  assert.equal(first.headers['x-ratelimit-remaining-requests'], 149_999);
  assert.equal(second.headers['x-ratelimit-remaining-requests'], 149_998);
  // 60 characters are 15 tokens by the estimate, plus max_tokens.
  assert.equal(first.headers['x-ratelimit-remaining-tokens'], 150_000_000 - 55);
  assert.equal(second.headers['x-ratelimit-remaining-tokens'], 150_000_000 - 110);
  assert.notEqual(first.requestId, second.requestId);
  assert.equal(first.headers['x-request-id'], first.requestId);
  assert.equal(first.headers['apim-request-id'], first.requestId);
});

test('the answer template takes each call its own completion id', () => {
  const fill = withFreshId('{"id":"chatcmpl-captured","object":"chat.completion"}');
  assert.equal(fill('0123-4567'), '{"id":"chatcmpl-01234567","object":"chat.completion"}');
});
