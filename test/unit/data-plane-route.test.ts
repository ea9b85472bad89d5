import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchDataPlaneRoute } from '../../src/surfaces/openai/route.js';
import { DEPLOYMENT_OPERATIONS, V1_OPERATIONS } from '../../src/surfaces/openai/operations.js';
import { ResponseTemplate, ID_MARK, CREATED_MARK } from '../../src/models/response-cache.js';

describe('data-plane routes', () => {
  test('deployment operations, with the account and deployment decoded and in their case', () => {
    assert.deepEqual(matchDataPlaneRoute('/accounts/My%2DAcct/openai/deployments/Gpt%204o/chat/completions?api-version=2024-10-21'), {
      account: 'My-Acct',
      deployment: 'Gpt 4o',
      operation: DEPLOYMENT_OPERATIONS['chat/completions'],
      v1: false,
      hasApiVersion: true,
      apiVersion: '2024-10-21',
    });
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments/d/embeddings')?.operation, DEPLOYMENT_OPERATIONS['embeddings']);
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments/d/completions?x=1')?.hasApiVersion, false);
    assert.equal(matchDataPlaneRoute('//ACCOUNTS/a//OPENAI/Deployments/d/Completions/')?.operation, DEPLOYMENT_OPERATIONS['completions']);
  });

  test('v1 operations name no deployment', () => {
    const route = matchDataPlaneRoute('/accounts/a/openai/v1/chat/completions');
    assert.equal(route?.deployment, undefined);
    assert.equal(route?.v1, true);
    assert.equal(route?.operation, V1_OPERATIONS['chat/completions']);
  });

  test('the Responses API: /v1/responses and /responses, created by POST; /responses/{id} read by GET and deleted by DELETE', () => {
    const v1 = matchDataPlaneRoute('/accounts/a/openai/v1/responses');
    assert.deepEqual({ ...v1, operation: undefined }, { account: 'a', deployment: undefined, operation: undefined, v1: true, responseId: undefined, hasApiVersion: false, apiVersion: undefined, apiVersionRefusal: undefined });
    assert.equal(v1?.operation.dataAction, 'Microsoft.CognitiveServices/accounts/OpenAI/responses/write');
    assert.equal(v1?.operation.template, 'POST /openai/v1/responses');
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/v1/responses', 'GET'), undefined, 'responses are created by POST only');

    const classic = matchDataPlaneRoute('/accounts/a/OpenAI/Responses/?api-version=2025-04-01-preview');
    assert.equal(classic?.v1, false);
    assert.equal(classic?.hasApiVersion, true);
    assert.equal(classic?.operation.template, 'POST /openai/responses');

    const storedUrl = '/accounts/a/openai/responses/resp%5Fabc?api-version=1';
    assert.equal(matchDataPlaneRoute(storedUrl, 'GET')?.responseId, 'resp_abc');
    assert.equal(matchDataPlaneRoute(storedUrl, 'POST'), undefined);
    const read = matchDataPlaneRoute(storedUrl, 'GET')?.operation;
    const remove = matchDataPlaneRoute(storedUrl, 'DELETE')?.operation;
    assert.deepEqual([read?.dataAction, read?.template], ['Microsoft.CognitiveServices/accounts/OpenAI/responses/read', 'GET /openai/responses/{response_id}']);
    assert.deepEqual([remove?.dataAction, remove?.template], ['Microsoft.CognitiveServices/accounts/OpenAI/responses/delete', 'DELETE /openai/responses/{response_id}']);
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/v1/responses/resp_abc', 'GET')?.responseId, 'resp_abc');
    for (const url of ['/accounts/a/openai/v1/responses/resp_abc/input_items', '/accounts/a/openai/responses/%zz', '/accounts/a/openai/deployments/responses']) {
      assert.equal(matchDataPlaneRoute(url), undefined, url);
    }
  });

  test('api-version: any value, empty, or percent-encoded name; not a longer name', () => {
    const has = (query: string): boolean | undefined => matchDataPlaneRoute(`/accounts/a/openai/deployments/d/embeddings?${query}`)?.hasApiVersion;
    assert.equal(has('api-version=1'), true);
    assert.equal(has('api-version'), true);
    assert.equal(has('a=b&api-version='), true);
    assert.equal(has('api%2Dversion=1'), true);
    assert.equal(has('api-versions=1'), false);
    assert.equal(has('x-api-version=1'), false);
    assert.equal(has('note=api-version&api-versions=1'), false);
    assert.equal(has('api-versions=1&api-version'), true);
    assert.equal(has('api%2dversion'), true);
    assert.equal(has('api%zz=1'), false);
  });

  test('anything else is left to the next handler', () => {
    for (const url of [
      '/',
      '/accounts',
      '/accounts/a/openai',
      '/accounts/a/openai/deployments/d',
      '/accounts/a/openai/deployments/d/images/variations',
      '/accounts/a/openai/deployments/d/constructor',
      '/accounts/a/openai/deployments/d/__proto__',
      '/accounts/a/openai/v1/models',
      '/accountsx/a/openai/deployments/d/embeddings',
      '/accounts/a%zz/openai/deployments/d/embeddings',
      '/subscriptions/s/resourceGroups/g',
    ]) {
      assert.equal(matchDataPlaneRoute(url), undefined, url);
    }
  });
});

describe('response templates', () => {
  test('fill gives what replacing the marks would, for every id and time', () => {
    const json = JSON.stringify({ id: ID_MARK, object: 'chat.completion', created: CREATED_MARK, model: 'm', choices: [{ message: { content: `"id":"${ID_MARK}" "created":1,` } }] });
    const template = new ResponseTemplate(json);
    for (const [id, created] of [['chatcmpl-abc', 1795991183], ['', 0]] as const) {
      const filled = JSON.parse(template.fill(id, created));
      assert.deepEqual(filled, { ...JSON.parse(json), id, created });
    }
  });

  test('an answer without the marks is kept as it is', () => {
    const json = JSON.stringify({ object: 'list', data: [{ embedding: [0.1] }] });
    assert.equal(new ResponseTemplate(json).fill('x', 5), json);
  });
});
