import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type CallContext } from '../../src/models/index.js';
import { DEFAULT_COMPLETION_RESERVE, estimateTokens, limitsForCapacity, MemoryQuotaLimiter, promptTokens } from '../../src/quotas/index.js';

/** Quotas without I/O: capacity → limits, the estimate of a request's tokens, and the in-memory limiter's synchronous answer. */

const MODEL = 'gpt-4o-mini';
const ctx: CallContext = { deployment: 'd', modelName: MODEL, created: 1, id: 'x' };
const simulator = createSimulator();

test('a capacity unit is 1,000 tokens and 6 requests per minute; requests are counted per 10 s (RPM / 6)', () => {
  assert.deepEqual(limitsForCapacity(1), { capacity: 1, requestsPerWindow: 1, requestsPerMinute: 6, tokensPerMinute: 1_000 });
  assert.deepEqual(limitsForCapacity(20), { capacity: 20, requestsPerWindow: 20, requestsPerMinute: 120, tokensPerMinute: 20_000 });
  assert.deepEqual(limitsForCapacity(1000), { capacity: 1000, requestsPerWindow: 1000, requestsPerMinute: 6_000, tokensPerMinute: 1_000_000 });
  assert.equal(limitsForCapacity(20), limitsForCapacity(20), 'one object per capacity');
  assert.ok(Object.isFrozen(limitsForCapacity(20)));
});

test('the memory limiter answers synchronously (no promise on the data plane)', () => {
  const admission = new MemoryQuotaLimiter().admit('k', limitsForCapacity(1), 5, 0);
  assert.ok(!(admission instanceof Promise));
  assert.deepEqual(admission, { allowed: true, remainingRequests: 0, remainingTokens: 995 });
});

/** The estimate's prompt rule: about four characters a token (Azure estimates before the call; the usage corrects it). */
const chars = (text: string): number => Math.ceil(text.length / 4);

test('chat: the prompt estimated from its characters (3 per message, 3 for the reply), plus max_completion_tokens or max_tokens for each of n choices', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Name three rivers of Europe, please.' },
  ];
  const prompt = 3 + (3 + chars('system') + chars('You are terse.')) + (3 + chars('user') + chars('Name three rivers of Europe, please.'));
  assert.equal(estimateTokens('chat', { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 }, MODEL), 3 + 3 + 1 + 2 + 100);
  assert.equal(estimateTokens('chat', { messages, max_tokens: 50 }, MODEL), prompt + 50);
  assert.equal(estimateTokens('chat', { messages, max_completion_tokens: 70, max_tokens: 50 }, MODEL), prompt + 70);
  assert.equal(estimateTokens('chat', { messages, max_tokens: 50, n: 3 }, MODEL), prompt + 150);
  assert.equal(estimateTokens('chat', { messages }, MODEL), prompt + DEFAULT_COMPLETION_RESERVE);
  assert.equal(DEFAULT_COMPLETION_RESERVE, 16);
});

test('the exact prompt count (for streams that report no usage) is the model\'s own', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Name three rivers of Europe, please.' },
  ];
  assert.equal(promptTokens('chat', { messages }, MODEL), simulator.chat({ messages }, ctx).usage.prompt_tokens);
  const usage = (simulator.completion({ prompt: ['one two three', 'four'] }, ctx) as { usage: { prompt_tokens: number } }).usage;
  assert.equal(promptTokens('completions', { prompt: ['one two three', 'four'] }, MODEL), usage.prompt_tokens);
  const input = ['The quick brown fox', 'jumps over the lazy dog'];
  const embedded = (simulator.embeddings({ input }, ctx) as { usage: { prompt_tokens: number } }).usage;
  assert.equal(promptTokens('embeddings', { input }, MODEL), embedded.prompt_tokens);
});

test('extreme values are bounded: max_tokens 1e20, n 1e300 and a huge prompt never make the estimate unsafe', () => {
  const huge = estimateTokens('chat', { messages: [{ role: 'user', content: 'x' }], max_tokens: 1e20, n: 1e300 }, MODEL);
  assert.ok(Number.isSafeInteger(huge) && huge <= 1_000_000_000, String(huge));
  assert.equal(estimateTokens('completions', { prompt: 'abcd', max_tokens: 5e6, best_of: 1e9 }, MODEL), 1 + 128 * 1_000_000);
});

test('a long prompt costs the estimate no tokenizer time, and the exact count stays linear', () => {
  const word = 'x'.repeat(50_000);
  let started = performance.now();
  assert.equal(estimateTokens('embeddings', { input: word }, MODEL), 12_500);
  assert.ok(performance.now() - started < 50, 'the estimate reads characters only');
  started = performance.now();
  assert.ok(promptTokens('embeddings', { input: word }, MODEL) > 0);
  assert.ok(performance.now() - started < 5_000, `a 50,000-character word is counted in pieces (${Math.round(performance.now() - started)} ms)`);
});

test('completions: every prompt, plus max_tokens (16 when absent) times the larger of n and best_of', () => {
  assert.equal(estimateTokens('completions', { prompt: ['one two three', 'four'] }, MODEL), chars('one two three') + chars('four') + 16);
  assert.equal(estimateTokens('completions', { prompt: [1, 2, 3], max_tokens: 10, n: 2, best_of: 4 }, MODEL), 3 + 40);
  assert.equal(estimateTokens('completions', { prompt: [[1, 2], [3]], max_tokens: 0 }, MODEL), 3);
});

test('embeddings: the inputs only', () => {
  const input = ['The quick brown fox', 'jumps over the lazy dog'];
  assert.equal(estimateTokens('embeddings', { input }, MODEL), chars(input[0] as string) + chars(input[1] as string));
  assert.equal(estimateTokens('embeddings', { input: 'Hello' }, MODEL), 2);
  assert.equal(estimateTokens('embeddings', { input: [[1, 2, 3], [4]] }, MODEL), 4);
});

test('responses: instructions and input items (3 each for the item), plus max_output_tokens', () => {
  assert.equal(estimateTokens('responses', { input: 'Hello', max_output_tokens: 20 }, MODEL), 2 + 20);
  assert.equal(
    estimateTokens('responses', {
      instructions: 'Hello',
      input: [
        { role: 'user', content: 'Hello' },
        { role: 'user', content: [{ type: 'input_text', text: 'Hello' }, { type: 'input_image', image_url: 'x' }] },
        { type: 'function_call_output', call_id: 'c', output: 'Hello' },
      ],
    }, MODEL),
    2 + (3 + 2) + (3 + 2) + (3 + 2) + DEFAULT_COMPLETION_RESERVE,
  );
});

test('a body the model will refuse is still estimated (its request and reserve count), and never throws', () => {
  assert.equal(estimateTokens('chat', { messages: 'not a list', max_tokens: 5 }, MODEL), 5);
  assert.equal(estimateTokens('chat', { messages: [{ role: 'robot', content: 'x' }] }, MODEL), 16);
  assert.equal(estimateTokens('chat', { max_tokens: -3 }, MODEL), 16);
  assert.equal(estimateTokens('chat', { max_tokens: 1.5 }, MODEL), 16);
  assert.equal(estimateTokens('chat', null, MODEL), 16);
  assert.equal(estimateTokens('embeddings', [1, 2], MODEL), 0);
  assert.equal(estimateTokens('completions', { prompt: { nested: true } }, MODEL), 16);
  assert.equal(estimateTokens('responses', { input: 42 }, MODEL), 16);
});
