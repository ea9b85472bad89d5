import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HOST_NAMES, KeylessNames } from '../../src/config/names.js';

/**
 * KeylessNames with a public origin (`keyless up --public-url`): the origin
 * clients use becomes the canonical one and one of Keyless's own origins,
 * issuers and token endpoints; loopback names keep answering as themselves.
 */
const tid = '11111111-2222-3333-4444-555555555555';
const PUBLIC = 'https://keyless.test:9443';

function names(publicOrigin?: string): KeylessNames {
  const n = new KeylessNames(DEFAULT_HOST_NAMES, () => tid);
  if (publicOrigin !== undefined) n.setPublicOrigin(publicOrigin);
  n.bind(8443);
  return n;
}

test('without a public origin nothing changes: localhost is canonical, other hosts are not Keyless', () => {
  const n = names();
  assert.equal(n.origin, 'https://localhost:8443');
  assert.equal(n.originFor('keyless.test:9443'), 'https://localhost:8443');
  assert.equal(n.isOwnIssuer(`${PUBLIC}/${tid}/`), false);
  assert.equal(n.isOwnOrigin(PUBLIC), false);
  assert.equal(n.isOwnTokenEndpoint(`${PUBLIC}/${tid}/oauth2/v2.0/token`), false);
  assert.deepEqual([...n.origins], ['https://localhost:8443', 'https://127.0.0.1:8443', 'https://[::1]:8443']);
});

test('the public origin is canonical: for its own Host, no Host, or any Host that is not a loopback origin', () => {
  const n = names(PUBLIC);
  assert.equal(n.origin, PUBLIC);
  assert.equal(n.originFor('keyless.test:9443'), PUBLIC);
  assert.equal(n.originFor('KEYLESS.test:9443'), PUBLIC);
  assert.equal(n.originFor(undefined), PUBLIC);
  assert.equal(n.originFor('10.0.0.5:8443'), PUBLIC, 'a load balancer that rewrites Host to the backend address');
  assert.equal(n.originFor('keyless.test:8443'), PUBLIC);
  assert.equal(n.originFor('localhost:9443'), PUBLIC);
  // On the machine itself, a loopback origin still answers as itself (MSAL wants the issuer on the authority's host).
  assert.equal(n.originFor('localhost:8443'), 'https://localhost:8443');
  assert.equal(n.originFor('127.0.0.1:8443'), 'https://127.0.0.1:8443');
  assert.ok(n.origins.has(PUBLIC));
  assert.equal(n.isOwnOrigin(`${PUBLIC}/`), true);
  assert.equal(n.isOwnOrigin('https://keyless.test:9444'), false);
});

test('tokens issued at the public origin, v1 or v2 form, are its own; the same name on another port or scheme is not', () => {
  const n = names(PUBLIC);
  assert.equal(n.isOwnIssuer(`${PUBLIC}/${tid}/`), true);
  assert.equal(n.isOwnIssuer(`${PUBLIC}/${tid}/v2.0`), true);
  assert.equal(n.isOwnIssuer(`https://localhost:8443/${tid}/`), true);
  for (const other of [
    `https://keyless.test:9444/${tid}/`,
    `https://keyless.test/${tid}/`,
    `http://keyless.test:9443/${tid}/`,
    `https://keyless.test.evil:9443/${tid}/`,
    `${PUBLIC}/00000000-0000-0000-0000-000000000000/`,
    `${PUBLIC}/${tid}/v2.0/`,
    `${PUBLIC}/${tid}/?x=1`,
  ]) {
    assert.equal(n.isOwnIssuer(other), false, other);
  }
});

test('client assertions may name the public token endpoints, and no other port of that name', () => {
  const n = names(PUBLIC);
  for (const endpoint of [`${PUBLIC}/${tid}/oauth2/v2.0/token`, `${PUBLIC}/${tid}/oauth2/token`, `${PUBLIC}/adfs/oauth2/token/`]) {
    assert.equal(n.isOwnTokenEndpoint(endpoint), true, endpoint);
  }
  assert.equal(n.isOwnTokenEndpoint(`https://keyless.test:9444/${tid}/oauth2/v2.0/token`), false);
  assert.equal(n.isOwnTokenEndpoint(`${PUBLIC}/${tid}/oauth2/v2.0/token?x=1`), false);
});

test('a public origin on the default port, set after bind, works the same', () => {
  const n = new KeylessNames(DEFAULT_HOST_NAMES, () => tid);
  n.bind(8443);
  n.setPublicOrigin('https://keyless.example.com');
  assert.equal(n.origin, 'https://keyless.example.com');
  assert.equal(n.originFor('keyless.example.com'), 'https://keyless.example.com');
  assert.equal(n.isOwnIssuer(`https://keyless.example.com/${tid}/`), true);
  assert.equal(n.isOwnIssuer(`https://keyless.example.com:443/${tid}/`), true, 'the default port written out names the same origin');
  assert.equal(n.isOwnIssuer(`https://keyless.example.com:8443/${tid}/`), false, 'another port does not');
});
