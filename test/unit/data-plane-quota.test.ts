import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataPlaneErrors, RATE_LIMITED_OPERATIONS } from '../../src/surfaces/openai/errors.js';
import { addQuotaHeaders } from '../../src/surfaces/openai/quota-headers.js';
import { limitsForCapacity, MemoryQuotaLimiter, type Admission } from '../../src/quotas/index.js';

/** The data plane's quota answers: Azure's 429 bodies, word for word, and the rate-limit headers of every answer. */

const LIMITS = limitsForCapacity(20); // 20 requests per 10 s, 20,000 tokens per minute

test('every answer carries the remaining requests and tokens, and the limits they count down from', () => {
  const limiter = new MemoryQuotaLimiter();
  const first = limiter.admit('d', LIMITS, 125, 0);
  const headers = { 'content-type': 'application/json' };
  assert.equal(addQuotaHeaders(headers, first, LIMITS), headers, 'added in place');
  assert.deepEqual(headers, {
    'content-type': 'application/json',
    'x-ratelimit-limit-requests': 20,
    'x-ratelimit-limit-tokens': 20_000,
    'x-ratelimit-remaining-requests': 19,
    'x-ratelimit-remaining-tokens': 19_875,
  });
  assert.deepEqual(addQuotaHeaders({}, limiter.admit('d', LIMITS, 1_000, 10), LIMITS), {
    'x-ratelimit-limit-requests': 20,
    'x-ratelimit-limit-tokens': 20_000,
    'x-ratelimit-remaining-requests': 18,
    'x-ratelimit-remaining-tokens': 18_875,
  });
});

const tokensRefusal: Admission = { allowed: false, exceeded: 'tokens', retryAfterMs: 5_200, remainingRequests: 12, remainingTokens: 0 };
const callsRefusal: Admission = { allowed: false, exceeded: 'requests', retryAfterMs: 800, remainingRequests: 0, remainingTokens: 4_000 };

test("over the tokens per minute, on a classic route: Azure's envelope and words, retry-after in seconds (rounded up) and ms", () => {
  const error = dataPlaneErrors.rateLimited(tokensRefusal, LIMITS, RATE_LIMITED_OPERATIONS.chat, '2024-10-21', 'OpenAI');
  assert.equal(error.status, 429);
  assert.equal(
    JSON.stringify(error.body()),
    '{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}',
  );
  assert.deepEqual(error.headers, {
    'x-ratelimit-limit-requests': 20,
    'x-ratelimit-limit-tokens': 20_000,
    'x-ratelimit-remaining-requests': 12,
    'x-ratelimit-remaining-tokens': 0,
    'retry-after': 6,
    'retry-after-ms': 5_200,
  });
  assert.equal(error.reason, "over the deployment's tokens per minute; retry after 5200 ms");
});

test('over the requests per minute: "call rate limit", one second in the singular, each operation by its Azure name', () => {
  const embeddings = dataPlaneErrors.rateLimited(callsRefusal, LIMITS, RATE_LIMITED_OPERATIONS.embeddings, '2024-02-01', 'OpenAI');
  assert.deepEqual(embeddings.body(), {
    error: {
      code: '429',
      message:
        'Requests to the Embeddings_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 1 second. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.',
    },
  });
  assert.equal(embeddings.headers?.['retry-after'], 1);
  assert.equal(embeddings.headers?.['retry-after-ms'], 800);
  assert.deepEqual(RATE_LIMITED_OPERATIONS, {
    chat: 'ChatCompletions_Create',
    completions: 'Completions_Create',
    embeddings: 'Embeddings_Create',
    responses: 'Responses_Create',
  });
});

test('an AIServices account names its tier and sends people to support', () => {
  const error = dataPlaneErrors.rateLimited(tokensRefusal, LIMITS, RATE_LIMITED_OPERATIONS.completions, '2024-10-21', 'AIServices');
  assert.equal(
    (error.body() as { error: { message: string } }).error.message,
    'Requests to the Completions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current AIServices S0 pricing tier. Please retry after 6 seconds. Please contact Azure support service if you would like to further increase the default rate limit.',
  );
});

test('the v1 API (no api-version): no version in the message, OpenAI\'s envelope with type too_many_requests', () => {
  const error = dataPlaneErrors.rateLimited(tokensRefusal, LIMITS, RATE_LIMITED_OPERATIONS.responses, undefined, 'OpenAI');
  assert.equal(error.status, 429);
  assert.equal(
    JSON.stringify(error.body()),
    '{"error":{"message":"Requests to the Responses_Create Operation under Azure OpenAI API have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.","type":"too_many_requests","code":"429"}}',
  );
  assert.equal(error.headers?.['retry-after-ms'], 5_200);
});
