import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { adminToken, request } from '../fixtures/http.js';
import { AZURE_REGIONS } from '../../src/resources/index.js';

/**
 * Cognitive Services' catalogue in ARM (issue 12): models, SKUs and quota
 * usages at a location and at an account, in Azure's exact shapes, with ARM's
 * answers for an unknown location, a missing account, a bad api-version, a
 * bad $filter and a caller without the read.
 */
let keyless: InProcessKeyless;
let token: string;
let sub: string;
let account: string;
const json = cliJson(() => keyless.dataDir);
const V = 'api-version=2025-09-01';
const CS = 'providers/Microsoft.CognitiveServices';

const get = (path: string, bearer = token) =>
  request(keyless.info.caPath, 'GET', `${keyless.info.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
const values = async (path: string): Promise<Record<string, any>[]> => {
  const res = await get(path);
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(Object.keys(res.json()), ['value']);
  return res.json().value;
};
const usage = (value: string, localizedValue: string, currentValue: number, limit = 150000) => ({ name: { value, localizedValue }, currentValue, limit, unit: 'Count' });
const capacity = { minimum: 1, maximum: 150000, step: 1, default: 1000 };
const byName = (name: string) => (u: Record<string, any>) => u['name'].value === name;

/** gpt-4o-mini 2024-07-18 as both lists show it (fine-tunable: deprecation names fineTune too). */
const GPT_4O_MINI = {
  format: 'OpenAI',
  name: 'gpt-4o-mini',
  version: '2024-07-18',
  isDefaultVersion: true,
  skus: [
    { name: 'Standard', usageName: 'OpenAI.Standard.gpt-4o-mini', capacity, deprecationDate: '2026-03-31T00:00:00Z' },
    { name: 'GlobalStandard', usageName: 'OpenAI.GlobalStandard.gpt-4o-mini', capacity, deprecationDate: '2026-03-31T00:00:00Z' },
  ],
  maxCapacity: 150000,
  capabilities: { chatCompletion: 'true', responses: 'true' },
  deprecation: { fineTune: '2026-03-31T00:00:00Z', inference: '2026-03-31T00:00:00Z' },
  modelCatalogAssetId: 'azureml://registries/azure-openai/models/gpt-4o-mini/versions/2024-07-18',
  lifecycleStatus: 'GenerallyAvailable',
  systemData: {
    createdBy: 'Microsoft',
    createdByType: 'Application',
    createdAt: '2024-07-18T00:00:00Z',
    lastModifiedBy: 'Microsoft',
    lastModifiedByType: 'Application',
    lastModifiedAt: '2024-07-18T00:00:00Z',
  },
};

before(async () => {
  keyless = await startInProcess();
  token = await adminToken(keyless.info.caPath, keyless.info.baseUrl, readAdminCredential(keyless.dataDir));
  sub = `/subscriptions/${keyless.info.subscriptionId}`;
  await json('group', 'create', '-n', 'cat', '-l', 'westus');
  account = (await json('openai', 'create', '-g', 'cat', '-n', 'cat-ai')).id;
});
after(async () => {
  await keyless.stop();
});

describe('models', () => {
  test('GET …/locations/{l}/models lists every catalog model as an OpenAI S0 account deploys it', async () => {
    const models = await values(`${sub}/${CS}/locations/WestUS/models?${V}`);
    assert.equal(models.length, 21);
    assert.deepEqual(models.find((m) => m['model'].name === 'gpt-4o-mini'), { kind: 'OpenAI', skuName: 'S0', model: GPT_4O_MINI });
    assert.deepEqual(models.find((m) => m['model'].name === 'text-embedding-ada-002'), {
      kind: 'OpenAI',
      skuName: 'S0',
      model: {
        format: 'OpenAI',
        name: 'text-embedding-ada-002',
        version: '2',
        isDefaultVersion: true,
        skus: [
          { name: 'Standard', usageName: 'OpenAI.Standard.text-embedding-ada-002', capacity, deprecationDate: '2026-04-30T00:00:00Z' },
          { name: 'GlobalStandard', usageName: 'OpenAI.GlobalStandard.text-embedding-ada-002', capacity, deprecationDate: '2026-04-30T00:00:00Z' },
        ],
        maxCapacity: 150000,
        capabilities: { embeddings: 'true' },
        deprecation: { inference: '2026-04-30T00:00:00Z' },
        modelCatalogAssetId: 'azureml://registries/azure-openai/models/text-embedding-ada-002/versions/2',
        lifecycleStatus: 'GenerallyAvailable',
        systemData: {
          createdBy: 'Microsoft',
          createdByType: 'Application',
          createdAt: '2023-04-03T00:00:00Z',
          lastModifiedBy: 'Microsoft',
          lastModifiedByType: 'Application',
          lastModifiedAt: '2023-04-03T00:00:00Z',
        },
      },
    });
    const instruct = models.find((m) => m['model'].name === 'gpt-35-turbo-instruct');
    assert.deepEqual(instruct?.['model'].capabilities, { completion: 'true' });
    assert.equal(models.find((m) => m['model'].name === 'gpt-5-chat')?.['model'].lifecycleStatus, 'Preview');
  });

  test("GET {account}/models lists the catalog, then the models only the account's upstreams serve", async () => {
    await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-ai', '--deployment-name', 'llama', '--model-name', 'Llama-3.3-70B', '--model-version', '3',
      '--model-format', 'Meta', '--upstream-url', 'http://127.0.0.1:9/v1');
    await json('openai', 'deployment', 'create', '-g', 'cat', '-n', 'cat-ai', '--deployment-name', 'relayed-mini', '--model-name', 'gpt-4o-mini',
      '--upstream-url', 'http://127.0.0.1:9/v1');
    const models = await values(`${account}/models?${V}`);
    assert.equal(models.length, 22);
    assert.deepEqual(models.find((m) => m['name'] === 'gpt-4o-mini'), GPT_4O_MINI);
    assert.deepEqual(models[21], {
      format: 'Meta',
      name: 'Llama-3.3-70B',
      version: '3',
      isDefaultVersion: false,
      skus: [
        { name: 'Standard', usageName: 'OpenAI.Standard.Llama-3.3-70B', capacity },
        { name: 'GlobalStandard', usageName: 'OpenAI.GlobalStandard.Llama-3.3-70B', capacity },
      ],
      maxCapacity: 150000,
      capabilities: { chatCompletion: 'true', completion: 'true', embeddings: 'true', responses: 'true' },
      lifecycleStatus: 'GenerallyAvailable',
    });
    await json('openai', 'deployment', 'delete', '-g', 'cat', '-n', 'cat-ai', '--deployment-name', 'llama');
    await json('openai', 'deployment', 'delete', '-g', 'cat', '-n', 'cat-ai', '--deployment-name', 'relayed-mini');
    assert.equal((await values(`${account}/models?${V}`)).length, 21);
  });
});

describe('skus', () => {
  test('GET …/providers/Microsoft.CognitiveServices/skus lists S0 of each kind at each location', async () => {
    const skus = await values(`${sub}/${CS}/skus?${V}`);
    assert.equal(skus.length, AZURE_REGIONS.length * 2);
    assert.deepEqual(skus.slice(0, 2), [
      { resourceType: 'accounts', name: 'S0', tier: 'Standard', kind: 'OpenAI', locations: ['AUSTRALIACENTRAL'], restrictions: [] },
      { resourceType: 'accounts', name: 'S0', tier: 'Standard', kind: 'AIServices', locations: ['AUSTRALIACENTRAL'], restrictions: [] },
    ]);
  });

  test('GET {account}/skus lists what the account may use', async () => {
    assert.deepEqual(await values(`${account}/skus?${V}`), [{ resourceType: 'Microsoft.CognitiveServices/accounts', sku: { name: 'S0', tier: 'Standard' } }]);
  });
});

describe('usages', () => {
  test("the capacity deployments hold, by usage name, at the location and the account, following a deployment's capacity", async () => {
    await json('group', 'create', '-n', 'quota', '-l', 'swedencentral');
    const quota = (await json('openai', 'create', '-g', 'quota', '-n', 'quota-ai')).id;
    const deploy = (name: string, ...flags: string[]) =>
      json('openai', 'deployment', 'create', '-g', 'quota', '-n', 'quota-ai', '--deployment-name', name, ...flags);
    await deploy('four', '--model-name', 'GPT-4o', '--capacity', '10');
    await deploy('four-b', '--model-name', 'gpt-4o', '--model-version', '2024-08-06', '--capacity', '5');
    await deploy('mini', '--model-name', 'gpt-4o-mini', '--sku-name', 'GlobalStandard', '--capacity', '7');
    const at = `${sub}/${CS}/locations/swedencentral/usages?${V}`;

    const listed = await values(at);
    assert.equal(listed.length, 1 + 18 * 2);
    assert.deepEqual(listed.slice(0, 3), [
      { name: { value: 'AccountCount', localizedValue: 'Cognitive Services total account limit' }, currentValue: 1, limit: 200, unit: 'Count' },
      usage('OpenAI.Standard.gpt-4o', 'Tokens Per Minute (thousands) - GPT-4o', 15),
      usage('OpenAI.GlobalStandard.gpt-4o', 'Tokens Per Minute (thousands) - gpt-4o - GlobalStandard', 0),
    ]);
    assert.deepEqual(listed.find(byName('OpenAI.GlobalStandard.gpt-4o-mini')), usage('OpenAI.GlobalStandard.gpt-4o-mini', 'Tokens Per Minute (thousands) - gpt-4o-mini - GlobalStandard', 7));
    assert.deepEqual(listed.find(byName('OpenAI.Standard.gpt-35-turbo')), usage('OpenAI.Standard.gpt-35-turbo', 'Tokens Per Minute (thousands) - GPT-35-Turbo', 0));
    // Another location's deployments are not counted here.
    assert.equal((await values(`${sub}/${CS}/locations/westus/usages?${V}`)).find(byName('OpenAI.Standard.gpt-4o'))?.['currentValue'], 0);

    await json('openai', 'deployment', 'update', '-g', 'quota', '-n', 'quota-ai', '--deployment-name', 'four', '--capacity', '40');
    assert.equal((await values(at)).find(byName('OpenAI.Standard.gpt-4o'))?.['currentValue'], 45);
    const own = await values(`${quota}/usages?${V}`);
    assert.equal(own.length, 18 * 2);
    assert.deepEqual(own[0], usage('OpenAI.Standard.gpt-4o', 'Tokens Per Minute (thousands) - GPT-4o', 45));
    await json('openai', 'deployment', 'delete', '-g', 'quota', '-n', 'quota-ai', '--deployment-name', 'four');
    assert.equal((await values(`${quota}/usages?${V}`))[0]?.['currentValue'], 5);

    // A deployment under a sku the catalogue does not offer is counted under its own name, after the others.
    await deploy('zone', '--model-name', 'gpt-4.1', '--sku-name', 'DataZoneStandard', '--capacity', '3');
    assert.deepEqual((await values(`${quota}/usages?${V}`)).at(-1), usage('OpenAI.DataZoneStandard.gpt-4.1', 'Tokens Per Minute (thousands) - gpt-4.1 - DataZoneStandard', 3));
  });

  test("$filter keeps the usage names it names (name.value eq '…', joined by or); anything else is 400", async () => {
    const filter = encodeURIComponent("name.value eq 'OpenAI.Standard.gpt-4o' or name.value eq 'AccountCount'");
    assert.deepEqual((await values(`${sub}/${CS}/locations/westus/usages?${V}&$filter=${filter}`)).map((u) => u['name'].value), ['AccountCount', 'OpenAI.Standard.gpt-4o']);
    assert.deepEqual((await values(`${account}/usages?${V}&$filter=${encodeURIComponent("name.value eq 'openai.standard.o1'")}`)).map((u) => u['name'].value), ['OpenAI.Standard.o1']);
    const bad = await get(`${account}/usages?${V}&$filter=${encodeURIComponent("limit gt 3")}`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: { code: 'InvalidFilterInQueryString', message: "Invalid $filter 'limit gt 3' specified in the query string." } });
  });
});

describe("ARM's refusals", () => {
  test('an unknown location is 400 NoRegisteredProviderFound, naming the api-versions and locations', async () => {
    for (const list of ['models', 'usages']) {
      const res = await get(`${sub}/${CS}/locations/atlantis/${list}?api-version=2024-10-01`);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), {
        error: {
          code: 'NoRegisteredProviderFound',
          message: `No registered resource provider found for location 'atlantis' and API version '2024-10-01' for type 'locations/${list}'. ` +
            `The supported api-versions are '2023-05-01, 2024-10-01, 2025-06-01, 2025-09-01'. The supported locations are '${AZURE_REGIONS.join(', ')}'.`,
        },
      });
    }
  });

  test('a missing account or group is 404 as for a GET of the account', async () => {
    for (const list of ['models', 'skus', 'usages']) {
      const missing = await get(`${sub}/resourceGroups/cat/${CS}/accounts/nope/${list}?${V}`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json(), {
        error: {
          code: 'ResourceNotFound',
          message: "The Resource 'Microsoft.CognitiveServices/accounts/nope' under resource group 'cat' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        },
      });
    }
    const noGroup = await get(`${sub}/resourceGroups/gone/${CS}/accounts/nope/models?${V}`);
    assert.equal(noGroup.status, 404);
    assert.deepEqual(noGroup.json(), { error: { code: 'ResourceGroupNotFound', message: "Resource group 'gone' could not be found." } });
  });

  test('a missing or malformed api-version is refused first', async () => {
    const missing = await get(`${sub}/${CS}/locations/westus/models`);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json(), { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
    const malformed = await get(`${account}/models?api-version=latest`);
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json().error.code, 'InvalidApiVersionParameter');
  });

  test('another provider has no such paths: NoRegisteredProviderFound 404', async () => {
    const res = await get(`${sub}/providers/Microsoft.Compute/locations/westus/usages?${V}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), {
      error: { code: 'NoRegisteredProviderFound', message: `No registered resource provider found for GET ${sub}/providers/Microsoft.Compute/locations/westus/usages.` },
    });
  });

  test('a caller without the read at the scope gets AuthorizationFailed for each path, even for an unknown location or account', async () => {
    await json('group', 'create', '-n', 'elsewhere');
    const reader = await json('ad', 'sp', 'create-for-rbac', '-n', 'catalogue-reader', '--role', 'Reader', '--scopes', `${sub}/resourceGroups/elsewhere`);
    const readerId = ((await json('ad', 'sp', 'show', '--id', reader.appId)) as { id: string }).id;
    const bearer = await adminToken(keyless.info.caPath, keyless.info.baseUrl, { tenantId: keyless.info.tenantId, clientId: reader.appId, clientSecret: reader.password });
    const cases: [string, string, string][] = [
      [`${sub}/${CS}/locations/westus/models`, 'Microsoft.CognitiveServices/locations/models/read', sub],
      [`${sub}/${CS}/locations/atlantis/usages`, 'Microsoft.CognitiveServices/locations/usages/read', sub],
      [`${sub}/${CS}/skus`, 'Microsoft.CognitiveServices/skus/read', sub],
      [`${account}/models`, 'Microsoft.CognitiveServices/accounts/models/read', account],
      [`${account}/skus`, 'Microsoft.CognitiveServices/accounts/skus/read', account],
      [`${sub}/resourceGroups/cat/${CS}/accounts/nope/usages`, 'Microsoft.CognitiveServices/accounts/usages/read', `${sub}/resourceGroups/cat/${CS}/accounts/nope`],
    ];
    for (const [path, action, scope] of cases) {
      const res = await get(`${path}?${V}`, bearer);
      assert.equal(res.status, 403, path);
      assert.deepEqual(res.json(), {
        error: {
          code: 'AuthorizationFailed',
          message: `The client '${reader.appId}' with object id '${readerId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        },
      });
    }
    // Reader at the account's group may read its catalogue.
    await json('role', 'assignment', 'create', '--assignee', readerId, '--role', 'Reader', '--scope', `${sub}/resourceGroups/cat`);
    assert.equal((await get(`${account}/usages?${V}`, bearer)).status, 200);
  });
});
