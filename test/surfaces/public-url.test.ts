import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { AzureOpenAI } from 'openai';
import { cliJson, readAdminCredential, startInProcess, type InProcessKeyless } from '../fixtures/in-process.js';
import { issue, writePem, type Issued } from '../fixtures/certificates.js';
import { requestVia, resolvingFetch, resolvingHttpClient, type Resolve } from '../fixtures/resolve.js';
import { tempDataDir } from '../fixtures/server.js';
import { adminToken, request } from '../fixtures/http.js';

/**
 * `keyless up --public-url https://keyless.test:9443 --tls-cert … --tls-key …`,
 * as behind a load balancer: every absolute URL Keyless hands out (issuers,
 * discovery, account endpoints, challenges) names the public origin, the
 * listener serves the given chain, and a token issued at the public origin is
 * accepted by every instance configured with it. keyless.test does not
 * resolve: requests go to 127.0.0.1 with the public Host and SNI.
 */
const PUBLIC = 'https://keyless.test:9443';
let certDir: string;
let ca: Issued;
let server: Issued;
let files: Record<string, string>;
let a: InProcessKeyless;
let b: InProcessKeyless;
let plain: InProcessKeyless;
let via: Resolve;
let tid: string;
let sub: string;

const claims = (token: string): Record<string, any> => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
const publicFlags = () => ({ publicUrl: PUBLIC, tlsCert: files['chain.pem']!, tlsKey: files['server-key.pem']! });

before(async () => {
  certDir = tempDataDir();
  ca = await issue(undefined, { ca: true, subject: 'CN=Keyless Test Deployment CA' });
  server = await issue(ca, { dns: ['keyless.test'] });
  files = writePem(certDir, { 'chain.pem': `${server.certPem}\n${ca.certPem}`, 'server-key.pem': server.keyPem });
  // Copies of one bootstrapped data folder: one tenant and one set of signing keys, as instances on one database.
  [a, b, plain] = await Promise.all([startInProcess(publicFlags()), startInProcess(publicFlags()), startInProcess()]);
  via = { origin: PUBLIC, port: a.info.port, ca: ca.certPem };
  tid = a.info.tenantId;
  sub = `/subscriptions/${a.info.subscriptionId}`;
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop(), plain?.stop()]);
  fs.rmSync(certDir, { recursive: true, force: true });
});

describe('the listener and runtime.json', () => {
  test('the listener serves the given chain, which checks out for keyless.test against the test CA', async () => {
    const peer = await new Promise<DetailedPeerCertificate>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: a.info.port, servername: 'keyless.test', ca: ca.certPem, path: '/healthz', agent: false, headers: { host: 'keyless.test:9443' } }, (res) => {
        const cert = (res.socket as TLSSocket).getPeerCertificate(true);
        res.resume();
        res.on('end', () => resolve(cert));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(new X509Certificate(peer.raw).fingerprint256, new X509Certificate(server.certPem).fingerprint256);
    assert.equal(new X509Certificate(peer.issuerCertificate.raw).fingerprint256, new X509Certificate(ca.certPem).fingerprint256, 'the intermediate/root is sent too');
  });

  test('runtime.json: the public URL as baseUrl, the chain (which ends in its root) as the CA, the name to check', () => {
    const runtime = JSON.parse(fs.readFileSync(`${a.dataDir}/runtime.json`, 'utf8'));
    assert.equal(runtime.baseUrl, PUBLIC);
    assert.equal(runtime.caPath, files['chain.pem']);
    assert.equal(runtime.serverName, 'keyless.test');
    assert.equal(runtime.host, '127.0.0.1');
    assert.equal(runtime.port, a.info.port);
  });

  test('without the flags nothing changes: localhost, Keyless\'s own CA', () => {
    assert.equal(plain.info.baseUrl, `https://localhost:${plain.info.port}`);
    assert.equal(plain.info.caPath, `${plain.dataDir}/ca.pem`);
    assert.equal(plain.info.serverName, 'localhost');
  });
});

describe('discovery names the public origin', () => {
  const urlFields = (doc: Record<string, unknown>) => Object.entries(doc).filter(([, v]) => typeof v === 'string' && v.startsWith('https://'));

  for (const [label, host] of [
    ['with the public Host', 'keyless.test:9443'],
    ['with a Host a load balancer rewrote to the backend address', '10.0.0.5:8443'],
  ] as const) {
    test(`v2, v1, ADFS and the workload issuer, ${label}`, async () => {
      const get = async (path: string) => {
        const res = await requestVia(via, 'GET', `${PUBLIC}${path}`, { headers: { host } });
        assert.equal(res.status, 200, path);
        return res.json();
      };
      const v2 = await get(`/${tid}/v2.0/.well-known/openid-configuration`);
      assert.equal(v2.issuer, `${PUBLIC}/${tid}/v2.0`);
      assert.equal(v2.token_endpoint, `${PUBLIC}/${tid}/oauth2/v2.0/token`);
      assert.equal(v2.jwks_uri, `${PUBLIC}/${tid}/discovery/v2.0/keys`);
      assert.equal(v2.authorization_endpoint, `${PUBLIC}/${tid}/oauth2/v2.0/authorize`);
      const v1 = await get(`/${tid}/.well-known/openid-configuration`);
      assert.equal(v1.issuer, `${PUBLIC}/${tid}/`);
      assert.equal(v1.token_endpoint, `${PUBLIC}/${tid}/oauth2/token`);
      const common = await get('/common/v2.0/.well-known/openid-configuration');
      assert.equal(common.issuer, `${PUBLIC}/{tenantid}/v2.0`);
      const adfs = await get('/adfs/.well-known/openid-configuration');
      assert.equal(adfs.issuer, `${PUBLIC}/adfs`);
      assert.equal(adfs.token_endpoint, `${PUBLIC}/adfs/oauth2/token/`);
      const workload = await get('/workload-issuer/.well-known/openid-configuration');
      assert.equal(workload.issuer, `${PUBLIC}/workload-issuer`);
      for (const doc of [v2, v1, common, adfs, workload]) {
        const urls = urlFields(doc);
        assert.ok(urls.length >= 2);
        for (const [field, url] of urls) assert.ok((url as string).startsWith(`${PUBLIC}/`), `${field}: ${String(url)}`);
      }
    });
  }

  test('a request to a loopback origin of the instance itself still gets that origin (MSAL wants the issuer on the authority\'s host)', async () => {
    const loopback = await requestVia(via, 'GET', `${PUBLIC}/${tid}/v2.0/.well-known/openid-configuration`, { headers: { host: `localhost:${a.info.port}` } });
    assert.equal(loopback.json().issuer, `https://localhost:${a.info.port}/${tid}/v2.0`);
  });
});

describe('tokens and the control plane', () => {
  let credential: ClientSecretCredential;
  before(() => {
    const admin = readAdminCredential(a.dataDir);
    // The real client: MSAL's discovery and issuer check, pointed at the public name.
    credential = new ClientSecretCredential(admin.tenantId, admin.clientId, admin.clientSecret, {
      authorityHost: PUBLIC,
      disableInstanceDiscovery: true,
      httpClient: resolvingHttpClient(via),
    });
  });

  test('@azure/identity signs in at the public authority; the token\'s issuer is the public origin', async () => {
    const token = await credential.getToken(`${PUBLIC}/.default`);
    const c = claims(token.token);
    assert.equal(c['iss'], `${PUBLIC}/${tid}/`);
    assert.equal(c['idp'], `${PUBLIC}/${tid}/`);
    assert.equal(c['aud'], PUBLIC);
    assert.equal(c['tid'], tid);
  });

  test('ARM hands out the public origin: account endpoints, the token endpoint, the challenge', async () => {
    const token = (await credential.getToken(`${PUBLIC}/.default`)).token;
    const arm = (method: string, path: string, body?: object, bearer: string | null = token) =>
      requestVia(via, method, `${PUBLIC}${path}`, { headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` }, ...(body && { body }) });
    assert.equal((await arm('PUT', `${sub}/resourcegroups/lb?api-version=2021-04-01`, { location: 'eastus' })).status, 201);
    const account = `${sub}/resourceGroups/lb/providers/Microsoft.CognitiveServices/accounts/lb-openai`;
    const created = await arm('PUT', `${account}?api-version=2024-10-01`, { kind: 'OpenAI', location: 'eastus', sku: { name: 'S0' }, properties: {} });
    assert.ok(created.status === 200 || created.status === 201, created.text);
    const shown = (await arm('GET', `${account}?api-version=2024-10-01`)).json();
    assert.equal(shown.properties.endpoint, `${PUBLIC}/accounts/lb-openai/`);
    assert.deepEqual(shown.properties.endpoints, {
      'OpenAI Language Model Instance API': `${PUBLIC}/accounts/lb-openai/`,
      'Token Endpoint': `${PUBLIC}/${tid}/oauth2/v2.0/token`,
    });
    const challenge = await arm('GET', `${sub}/resourcegroups?api-version=2021-04-01`, undefined, null);
    assert.equal(challenge.status, 401);
    assert.match(String(challenge.headers['www-authenticate']), new RegExp(`^Bearer authorization_uri="${PUBLIC}/"`));

    // The endpoint ARM handed out works with the openai package (through the public name, resolved to the listener).
    assert.equal((await arm('PUT', `${account}/deployments/chat?api-version=2024-10-01`, { properties: { model: { format: 'OpenAI', name: 'gpt-4o-mini', version: '2024-07-18' } } })).status, 201);
    const keys = (await arm('POST', `${account}/listKeys?api-version=2024-10-01`)).json();
    const client = new AzureOpenAI({ endpoint: shown.properties.endpoint, apiKey: keys.key1, apiVersion: '2024-10-21', maxRetries: 0, fetch: resolvingFetch(via) });
    const chat = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(typeof chat.choices[0]?.message.content, 'string');
  });

  test('a token issued at the public origin is accepted by another instance with the same public URL, and refused by one without', async () => {
    // An audience every instance accepts, so that only the issuer differs.
    const token = (await credential.getToken('https://management.azure.com/.default')).token;
    assert.equal(claims(token)['iss'], `${PUBLIC}/${tid}/`);
    const list = `${sub}/resourcegroups?api-version=2021-04-01`;
    const onB = await requestVia({ ...via, port: b.info.port }, 'GET', `${PUBLIC}${list}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(onB.status, 200, onB.text);
    const onPlain = await request(plain.info.caPath, 'GET', `${plain.info.baseUrl}${list}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(onPlain.status, 401);
    assert.deepEqual(onPlain.json(), { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    // And the other way round: the plain instance is no member of their cluster, so its localhost tokens (its port) are refused too.
    const local = await adminToken(plain.info.caPath, plain.info.baseUrl, readAdminCredential(plain.dataDir), 'https://management.azure.com');
    assert.equal((await requestVia(via, 'GET', `${PUBLIC}${list}`, { headers: { authorization: `Bearer ${local}` } })).status, 401);
  });
});

describe('the CLI', () => {
  test('connects to the listener, checks the certificate for keyless.test, and prints the public URLs', async () => {
    const json = cliJson(() => a.dataDir);
    const account = await json('account', 'show');
    assert.deepEqual(account.endpoints, { authority: PUBLIC, resourceManager: PUBLIC, identity: a.info.identityUrl });
    assert.equal(account.workloadIssuer, `${PUBLIC}/workload-issuer`);
    await json('group', 'create', '-n', 'cli');
    const created = await json('openai', 'create', '-g', 'cli', '-n', 'cli-openai');
    assert.equal(created.properties.endpoint, `${PUBLIC}/accounts/cli-openai/`);
  });
});

describe('--public-url alone (a load balancer that terminates TLS)', () => {
  test("the instance keeps its own localhost certificate, hands out the public URLs, and the CLI still connects", async () => {
    const behind = await startInProcess({ publicUrl: 'https://keyless.example.com' });
    try {
      assert.equal(behind.info.baseUrl, 'https://keyless.example.com');
      assert.equal(behind.info.caPath, `${behind.dataDir}/ca.pem`);
      assert.equal(behind.info.serverName, 'localhost');
      // What the load balancer forwards: the public Host, over TLS to the instance's own certificate.
      const issuer = await new Promise<string>((resolve, reject) => {
        const path = `/${tid}/v2.0/.well-known/openid-configuration`;
        const options = { host: '127.0.0.1', port: behind.info.port, servername: 'localhost', ca: fs.readFileSync(behind.info.caPath), path, agent: false, headers: { host: 'keyless.example.com' } };
        https
          .get(options, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(JSON.parse(text).issuer));
          })
          .on('error', reject);
      });
      assert.equal(issuer, `https://keyless.example.com/${tid}/v2.0`);
      const account = await cliJson(() => behind.dataDir)('account', 'show');
      assert.equal(account.endpoints.authority, 'https://keyless.example.com');
    } finally {
      await behind.stop();
    }
  });
});
