import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { audiencesFor } from '../../src/tokens/audiences.js';
import { bearerToken } from '../../src/surfaces/http/bearer.js';
import { KeylessNames, DEFAULT_HOST_NAMES } from '../../src/config/names.js';
import { armErrors, toArmError } from '../../src/surfaces/arm/errors.js';
import { toGraphError } from '../../src/surfaces/graph/errors.js';
import { imdsErrors, toImdsError } from '../../src/surfaces/identity-endpoints/imds-errors.js';
import { appServiceErrors } from '../../src/surfaces/identity-endpoints/app-service-errors.js';
import { dataPlaneErrors, toDataPlaneError } from '../../src/surfaces/openai/errors.js';
import { ModelInputError } from '../../src/models/index.js';
import { NotFoundError, StartupError } from '../../src/shared/errors.js';

describe('audiencesFor', () => {
  const names = new KeylessNames(DEFAULT_HOST_NAMES, () => 'tenant');
  names.bind(8443);

  test('ARM: Azure\'s control-plane resources and Keyless\'s own origins, each with and without the slash', () => {
    const arm = audiencesFor('arm', names.origins);
    for (const aud of ['https://management.azure.com', 'https://management.core.windows.net/', 'https://localhost:8443', 'https://127.0.0.1:8443/']) {
      assert.ok(arm.has(aud), aud);
    }
    assert.ok(!arm.has('https://graph.microsoft.com'));
    assert.equal(audiencesFor('arm', names.origins), arm, 'cached per origin set');
  });

  test('Graph: ARM\'s and Graph\'s; the data plane: Cognitive Services only', () => {
    const graph = audiencesFor('graph', names.origins);
    assert.ok(graph.has('https://graph.microsoft.com/') && graph.has('https://management.azure.com'));
    assert.deepEqual([...audiencesFor('dataPlane')], ['https://cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/']);
  });
});

describe('bearerToken', () => {
  test('the token of a Bearer header in any case, else undefined', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer  abc '), 'abc');
    for (const header of [undefined, '', 'Bearer', 'Basic abc', 'Bearer a b']) assert.equal(bearerToken(header), undefined, String(header));
  });
});

describe('error mappings', () => {
  const badJson = Object.assign(new Error('Unexpected token'), { statusCode: 400 });
  const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });

  test('ARM: core errors by kind, fastify\'s 4xx as InvalidRequestContent (413 kept), anything else unmapped', () => {
    assert.deepEqual(toArmError(new NotFoundError('ResourceNotFound', 'gone'))?.body(), { error: { code: 'ResourceNotFound', message: 'gone' } });
    assert.equal(toArmError(new NotFoundError('X', 'y'))?.status, 404);
    assert.equal(toArmError(tooLarge)?.status, 413);
    assert.equal(toArmError(badJson)?.code, 'InvalidRequestContent');
    assert.equal(toArmError(new StartupError('PortInUse', 'x')), undefined);
    assert.equal(toArmError(new Error('boom')), undefined);
    assert.equal(armErrors.missingAuthorization('https://localhost/').headers['www-authenticate']?.startsWith('Bearer authorization_uri="https://localhost/"'), true);
  });

  test('Graph, IMDS and App Service bodies', () => {
    assert.equal((toGraphError(badJson)?.body() as { error: { code: string } }).error.code, 'Request_BadRequest');
    assert.deepEqual(imdsErrors.noApiVersion().body(), {
      error: 'Bad request. api-version was not specified in the request. For more information refer to aka.ms/azureimds',
      'newest-versions': ['2018-02-01'],
    });
    assert.deepEqual(toImdsError(badJson)?.body(), { error: 'invalid_request', error_description: 'The request could not be read: Unexpected token.' });
    const appService = appServiceErrors.throttled();
    assert.equal(appService.headers['retry-after'], '1');
    assert.deepEqual(Object.keys(appService.body()), ['statusCode', 'message', 'correlationId']);
  });

  test('data plane: the model\'s refusal in OpenAI\'s shape, anything else unmapped', () => {
    const refused = toDataPlaneError(new ModelInputError('context_length_exceeded', 'too long', 'messages'));
    assert.deepEqual(refused?.body(), { error: { message: 'too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } });
    assert.equal(toDataPlaneError(new Error('boom')), undefined);
    assert.deepEqual(dataPlaneErrors.invalidToken('x').body(), {
      statusCode: 401,
      message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    });
  });
});
