import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, type CallContext } from '../../src/models/index.js';
import { DEFAULT_COMPLETION_RESERVE, estimateTokens, limitsForCapacity, MemoryQuotaLimiter } from '../../src/quotas/index.js';

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

test('chat: the prompt as the model counts it, plus max_completion_tokens or max_tokens for each of n choices', () => {
  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Name three rivers of Europe, please.' },
  ];
  const prompt = simulator.chat({ messages }, ctx).usage.prompt_tokens;
  assert.equal(estimateTokens('chat', { messages: [{ role: 'user', content: 'Hello' }], max_tokens: 100 }, MODEL), 8 + 100);
  assert.equal(estimateTokens('chat', { messages, max_tokens: 50 }, MODEL), prompt + 50);
  assert.equal(estimateTokens('chat', { messages, max_completion_tokens: 70, max_tokens: 50 }, MODEL), prompt + 70);
  assert.equal(estimateTokens('chat', { messages, max_tokens: 50, n: 3 }, MODEL), prompt + 150);
  assert.equal(estimateTokens('chat', { messages }, MODEL), prompt + DEFAULT_COMPLETION_RESERVE);
  assert.equal(DEFAULT_COMPLETION_RESERVE, 16);
});

test('completions: every prompt, plus max_tokens (16 when absent) times the larger of n and best_of', () => {
  const usage = (simulator.completion({ prompt: ['one two three', 'four'] }, ctx) as { usage: { prompt_tokens: number } }).usage;
  assert.equal(estimateTokens('completions', { prompt: ['one two three', 'four'] }, MODEL), usage.prompt_tokens + 16);
  assert.equal(estimateTokens('completions', { prompt: [1, 2, 3], max_tokens: 10, n: 2, best_of: 4 }, MODEL), 3 + 40);
  assert.equal(estimateTokens('completions', { prompt: [[1, 2], [3]], max_tokens: 0 }, MODEL), 3);
});

test('embeddings: the inputs only, as the model counts them', () => {
  const input = ['The quick brown fox', 'jumps over the lazy dog'];
  const usage = (simulator.embeddings({ input }, ctx) as { usage: { prompt_tokens: number } }).usage;
  assert.equal(estimateTokens('embeddings', { input }, MODEL), usage.prompt_tokens);
  assert.equal(estimateTokens('embeddings', { input: 'Hello' }, MODEL), 1);
  assert.equal(estimateTokens('embeddings', { input: [[1, 2, 3], [4]] }, MODEL), 4);
});

test('responses: instructions and input items (3 each for the item), plus max_output_tokens', () => {
  assert.equal(estimateTokens('responses', { input: 'Hello', max_output_tokens: 20 }, MODEL), 1 + 20);
  assert.equal(
    estimateTokens('responses', {
      instructions: 'Hello',
      input: [
        { role: 'user', content: 'Hello' },
        { role: 'user', content: [{ type: 'input_text', text: 'Hello' }, { type: 'input_image', image_url: 'x' }] },
        { type: 'function_call_output', call_id: 'c', output: 'Hello' },
      ],
    }, MODEL),
    1 + (3 + 1) + (3 + 1) + (3 + 1) + DEFAULT_COMPLETION_RESERVE,
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
