import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HOST_NAMES, KeylessNames } from '../../src/config/names.js';

/** Which origins an instance accepts as issuers and assertion audiences: its own, its public URL's, and the peers fed to it. */
const tenant = '11111111-1111-4111-8111-111111111111';

test('setPeerOrigins: each peer origin adds its v1 and v2 issuers and token endpoints, replacing the previous peers', () => {
  const names = new KeylessNames(DEFAULT_HOST_NAMES, () => tenant);
  names.bind(8443);
  assert.equal(names.isOwnIssuer(`https://localhost:9443/${tenant}/`), false);
  names.setPeerOrigins(['https://localhost:9443', 'HTTPS://127.0.0.1:9444/', 'http://localhost:9445', 'not a url', 'https://user:pw@localhost:9446']);
  for (const origin of ['https://localhost:9443', 'https://127.0.0.1:9444']) {
    assert.equal(names.isOwnIssuer(`${origin}/${tenant}/`), true, origin);
    assert.equal(names.isOwnIssuer(`${origin}/${tenant}/v2.0`), true, origin);
    assert.equal(names.isOwnTokenEndpoint(`${origin}/${tenant}/oauth2/v2.0/token`), true, origin);
  }
  for (const origin of ['http://localhost:9445', 'https://localhost:9445', 'https://localhost:9446']) assert.equal(names.isOwnIssuer(`${origin}/${tenant}/`), false, origin);
  // Peers are accepted as issuers, never answered as: the instance's own origins do not change.
  assert.equal(names.isOwnOrigin('https://localhost:9443'), false);
  assert.equal(names.originFor('localhost:9443'), 'https://localhost:8443');
  assert.deepEqual([...names.origins], ['https://localhost:8443', 'https://127.0.0.1:8443', 'https://[::1]:8443']);
  names.setPeerOrigins(['https://localhost:9447']);
  assert.equal(names.isOwnIssuer(`https://localhost:9443/${tenant}/`), false, 'replaced, not added to');
  assert.equal(names.isOwnIssuer(`https://localhost:9447/${tenant}/`), true);
  assert.equal(names.isOwnIssuer(`https://localhost:8443/${tenant}/`), true, 'its own stay');
});

test('a public URL is one of the instance\'s own origins; its default port is written either way', () => {
  const names = new KeylessNames(DEFAULT_HOST_NAMES, () => tenant, { publicUrl: 'https://Keyless.example.com/' });
  names.bind(8443);
  assert.equal(names.isOwnOrigin('https://keyless.example.com'), true);
  assert.equal(names.originFor('keyless.example.com'), 'https://keyless.example.com');
  for (const iss of [`https://keyless.example.com/${tenant}/`, `https://keyless.example.com:443/${tenant}/v2.0`]) assert.equal(names.isOwnIssuer(iss), true, iss);
  assert.equal(names.isOwnTokenEndpoint(`https://keyless.example.com/${tenant}/oauth2/v2.0/token`), true);
  assert.equal(names.isOwnIssuer(`https://keyless.example.com:8443/${tenant}/`), false);
  assert.throws(() => new KeylessNames(DEFAULT_HOST_NAMES, () => tenant, { publicUrl: 'http://keyless.example.com' }), TypeError);
});

test('issuers are compared exactly: port, path and tenant', () => {
  const names = new KeylessNames(DEFAULT_HOST_NAMES, () => tenant);
  names.bind(8443);
  assert.equal(names.isOwnIssuer(`https://localhost:8443/${tenant}/`), true);
  for (const iss of [`https://localhost:8444/${tenant}/`, `https://localhost/${tenant}/`, `https://localhost:8443/${tenant}`, `https://localhost:8443/${tenant}/?x=1`, `https://example.com:8443/${tenant}/`, `http://localhost:8443/${tenant}/`]) {
    assert.equal(names.isOwnIssuer(iss), false, iss);
  }
});
