import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_CATALOG, defaultModelVersion, findModel, modelById } from '../../src/models/index.js';
import { resolveDeploymentModel } from '../../src/resources/deployment-model.js';
import { InvalidInputError } from '../../src/shared/errors.js';
import { matchDataPlaneRoute } from '../../src/surfaces/openai/route.js';
import { judgeApiVersion } from '../../src/surfaces/openai/api-versions.js';

describe('the model catalog', () => {
  test('names, versions and ids as Azure lists them', () => {
    assert.equal(findModel('gpt-4o', '2024-08-06')?.id, 'gpt-4o-2024-08-06');
    assert.equal(findModel('GPT-4o', '2024-08-06')?.id, 'gpt-4o-2024-08-06');
    assert.equal(findModel('gpt-4o', '1'), undefined);
    assert.equal(findModel('text-embedding-ada-002', '2')?.id, 'text-embedding-ada-002-2');
    assert.equal(modelById('gpt-35-turbo-instruct-0914')?.operations.has('completion'), true);
    assert.equal(modelById('gpt-35-turbo-instruct-0914')?.operations.has('chatCompletion'), false);
    assert.equal(modelById('nope'), undefined);
    // Every name has exactly one default version, and ids are unique.
    const names = new Set(MODEL_CATALOG.map((m) => m.name));
    for (const name of names) assert.equal(MODEL_CATALOG.filter((m) => m.name === name && m.isDefault).length, 1, name);
    assert.equal(new Set(MODEL_CATALOG.map((m) => m.id)).size, MODEL_CATALOG.length);
    assert.deepEqual(
      [...names].map((n) => [n, defaultModelVersion(n)]).slice(0, 4),
      [['gpt-4o', '2024-11-20'], ['gpt-4o-mini', '2024-07-18'], ['gpt-4.1', '2025-04-14'], ['gpt-4.1-mini', '2025-04-14']],
    );
  });

  test('a deployment gets the default version, or Azure refusal for what the catalog lacks', () => {
    assert.deepEqual(resolveDeploymentModel({ name: 'gpt-4o' }, false), { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' });
    assert.deepEqual(resolveDeploymentModel({ name: 'gpt-4o', version: '2024-05-13', format: 'OpenAI' }, false), { format: 'OpenAI', name: 'gpt-4o', version: '2024-05-13' });
    const refused = (model: Record<string, unknown>): string => {
      try {
        resolveDeploymentModel(model, false);
      } catch (error) {
        assert.ok(error instanceof InvalidInputError);
        assert.equal(error.code, 'DeploymentModelNotSupported');
        return error.message;
      }
      throw new Error('not refused');
    };
    assert.equal(refused({ name: 'llama-3' }), "The model 'Format:OpenAI,Name:llama-3,Version:' of account deployment is not supported.");
    assert.equal(refused({ name: 'gpt-4o', version: '1' }), "The model 'Format:OpenAI,Name:gpt-4o,Version:1' of account deployment is not supported.");
    assert.equal(refused({ name: 'gpt-4o', version: '2024-08-06', format: 'Meta' }), "The model 'Format:Meta,Name:gpt-4o,Version:2024-08-06' of account deployment is not supported.");
    // With an upstream any name goes.
    assert.deepEqual(resolveDeploymentModel({ name: 'llama-3' }, true), { format: 'OpenAI', name: 'llama-3', version: '1' });
    assert.deepEqual(resolveDeploymentModel({ name: 'gpt-4o' }, true), { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' });
  });
});

describe('catalog routes and api-versions', () => {
  test('GETs of the catalog and the deployment list, decoded', () => {
    const model = matchDataPlaneRoute('/accounts/a/openai/models/gpt%2D4o-2024-08-06?api-version=2024-10-21', 'GET');
    assert.equal(model?.operation.kind, 'getModel');
    assert.equal(model?.itemId, 'gpt-4o-2024-08-06');
    assert.equal(model?.apiVersionRefusal, undefined);
    assert.equal(matchDataPlaneRoute('/accounts/a/OpenAI/Models?api-version=2024-10-21', 'GET')?.operation.template, 'GET /openai/models');
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/v1/models', 'GET')?.operation.template, 'GET /openai/v1/models');
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments?api-version=2022-12-01', 'GET')?.apiVersionRefusal, undefined);
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments?api-version=2024-10-21', 'GET')?.apiVersionRefusal, 'notFound');
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments/d?api-version=2023-03-15-preview', 'GET')?.deployment, 'd');
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/models', 'POST'), undefined);
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments/d/chat/completions?api-version=2024-10-21', 'GET'), undefined);
  });

  test('operations Keyless refuses: images and audio of a deployment, account-level APIs under any method', () => {
    assert.equal(matchDataPlaneRoute('/accounts/a/openai/deployments/d/audio/transcriptions?api-version=2024-10-21')?.operation.kind, 'unsupported');
    for (const [method, path] of [['POST', 'files'], ['GET', 'batches/b1'], ['DELETE', 'assistants/x'], ['POST', 'v1/images/generations'], ['GET', 'v1/vector_stores']] as const) {
      assert.equal(matchDataPlaneRoute(`/accounts/a/openai/${path}`, method)?.operation.kind, 'notServed', path);
    }
  });

  test('which api-versions each API takes', () => {
    const plain = { chat: false, deploymentList: false };
    assert.equal(judgeApiVersion(false, '2024-10-21', plain), undefined);
    assert.equal(judgeApiVersion(false, '2025-04-01-preview', plain), undefined);
    assert.equal(judgeApiVersion(false, undefined, plain), 'notFound');
    assert.equal(judgeApiVersion(false, '2024-10-22', plain), 'notFound');
    assert.equal(judgeApiVersion(false, 'v1', plain), 'notFound');
    assert.equal(judgeApiVersion(false, '2022-12-01', { chat: true, deploymentList: false }), 'notFound');
    assert.equal(judgeApiVersion(false, '2023-05-15', { chat: true, deploymentList: false }), undefined);
    for (const v of [undefined, 'v1', 'preview', 'latest']) assert.equal(judgeApiVersion(true, v, plain), undefined);
    assert.equal(judgeApiVersion(true, '2024-10-21', plain), 'unsupported');
  });
});
