import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { request } from '../fixtures/http.js';

/**
 * ARM's cloud metadata (`GET /metadata/endpoints?api-version=…`), anonymous:
 * the exact body of each form Azure serves, naming the origin the caller used,
 * with Keyless's `/adfs` authority as the login endpoint.
 */
let keyless: InProcessKeyless;
let origin: string;

before(async () => {
  keyless = await startInProcess();
  // The address az is given (`--endpoint-resource-manager https://127.0.0.1:PORT/`).
  origin = `https://127.0.0.1:${new URL(keyless.info.baseUrl).port}`;
});
after(async () => {
  await keyless.stop();
});

const metadata = (query: string, path = '/metadata/endpoints', base = origin) => request(keyless.info.caPath, 'GET', `${base}${path}${query}`);

const authentication = (o: string) => ({
  loginEndpoint: `${o}/adfs`,
  audiences: [`${o}/`, 'https://management.core.windows.net/', 'https://management.azure.com/'],
  tenant: 'adfs',
  identityProvider: 'ADFS',
});
const cloud = (o: string) => ({
  authentication: authentication(o),
  graphAudience: `${o}/`,
  graph: `${o}/`,
  name: 'Keyless',
  suffixes: {},
  resourceManager: `${o}/`,
  microsoftGraphResourceId: `${o}/`,
});

describe('the forms, by api-version', () => {
  test('2015-01-01 and 1.0: the first object form (what az cloud register reads), with no Authorization header', async () => {
    for (const version of ['2015-01-01', '1.0', '2016-09-01']) {
      const res = await metadata(`?api-version=${version}`);
      assert.equal(res.status, 200, version);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), {
        graphEndpoint: `${origin}/`,
        authentication: { loginEndpoint: `${origin}/adfs`, audiences: [`${origin}/`, 'https://management.core.windows.net/', 'https://management.azure.com/'] },
      }, version);
    }
  });

  test('2017-12-01 and 2018-01-01: graphAudience, and the tenant and identity provider of the authority', async () => {
    for (const version of ['2017-12-01', '2018-01-01', '2019-04-30']) {
      const res = await metadata(`?api-version=${version}`);
      assert.equal(res.status, 200, version);
      assert.deepEqual(res.json(), { graphEndpoint: `${origin}/`, graphAudience: `${origin}/`, authentication: authentication(origin) }, version);
    }
  });

  test('2019-05-01 up to 2022-09-01: an array of clouds, Keyless the only one (ARM_CLOUD_METADATA_URL)', async () => {
    for (const version of ['2019-05-01', '2020-06-01', '2022-08-01-preview']) {
      const res = await metadata(`?api-version=${version}`);
      assert.equal(res.status, 200, version);
      assert.deepEqual(res.json(), [cloud(origin)], version);
    }
  });

  test('2022-09-01, later versions and latest: the cloud as one object, Microsoft Graph included', async () => {
    for (const version of ['2022-09-01', '2024-01-01', 'latest']) {
      const res = await metadata(`?api-version=${version}`);
      assert.equal(res.status, 200, version);
      assert.deepEqual(res.json(), cloud(origin), version);
    }
  });
});

describe('names and paths', () => {
  test('the origin is the one the caller used: localhost gives localhost', async () => {
    const res = await metadata('?api-version=2022-09-01', '/metadata/endpoints', keyless.info.baseUrl);
    assert.deepEqual(res.json(), cloud(keyless.info.baseUrl));
  });

  test("msrestazure's double slash (`https://host:port/` + `/metadata/endpoints`) and any case are the same path", async () => {
    assert.equal((await metadata('?api-version=2015-01-01', '//metadata/endpoints')).status, 200);
    assert.equal((await metadata('?api-version=2015-01-01', '/Metadata/Endpoints/')).status, 200);
  });

  test('a token is not needed, and one that is not valid is not looked at', async () => {
    const res = await request(keyless.info.caPath, 'GET', `${origin}/metadata/endpoints?api-version=2022-09-01`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(res.status, 200);
  });
});

describe('api-version errors, in ARM’s dialect', () => {
  test('missing or empty: 400 MissingApiVersionParameter', async () => {
    for (const query of ['', '?api-version=']) {
      const res = await metadata(query);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
    }
  });

  test('malformed: 400 InvalidApiVersionParameter', async () => {
    const res = await metadata('?api-version=banana');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), {
      error: {
        code: 'InvalidApiVersionParameter',
        message: "The api-version 'banana' is invalid. The supported versions are dates of the form 'YYYY-MM-DD' with an optional '-preview' suffix.",
      },
    });
  });

  test('given twice: 400 InvalidQueryParameterValue', async () => {
    const res = await metadata('?api-version=2015-01-01&api-version=2022-09-01');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), { error: { code: 'InvalidQueryParameterValue', message: "The query parameter 'api-version' was given more than once; give it once." } });
  });
});
