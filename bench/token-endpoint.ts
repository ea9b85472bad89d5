/*
 * Benchmark (not a test): client_credentials tokens per second through the
 * token endpoint, against the raw RS256 signing rate of the same machine
 * (a loop of crypto.sign over a token-sized payload), one after the other.
 * Target (issue 4): the endpoint reaches at least 0.6 of the raw rate.
 *
 *   npm run build && node dist/bench/token-endpoint.js
 *
 * Traffic goes to 127.0.0.1 only; each phase is bounded in time.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import autocannon from 'autocannon';
import { readAdminCredential, startKeyless } from '../test/fixtures/server.js';

const SECONDS = 8;

async function main(): Promise<void> {
  const keyless = await startKeyless({ args: ['--log-level', 'silent'] });
  try {
    const admin = readAdminCredential(keyless.dataDir);
    const url = `https://127.0.0.1:${keyless.info.port}/${admin.tenantId}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: admin.clientId,
      client_secret: admin.clientSecret,
      scope: 'https://cognitiveservices.azure.com/.default',
    }).toString();
    const options = { url, method: 'POST' as const, body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, connections: 20 };
    await autocannon({ ...options, duration: 2 }); // warm-up
    const result = await autocannon({ ...options, duration: SECONDS });
    const endpointRate = result.requests.average;
    const failed = result.non2xx + result.errors;

    // The same work with nothing around it: RS256 over a payload the size of a Keyless token.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = Buffer.from(randomBytes(600).toString('base64url'));
    let signatures = 0;
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      for (let i = 0; i < 50; i++) sign('sha256', input, privateKey);
      signatures += 50;
    }
    const rawRate = signatures / SECONDS;
    const ratio = endpointRate / rawRate;
    const rows = [
      ['token endpoint (client_credentials, secret), tokens/s', endpointRate.toFixed(0)],
      ['raw RS256 signing (crypto.sign, one core), signatures/s', rawRate.toFixed(0)],
      ['ratio (target ≥ 0.6)', `${ratio.toFixed(3)} ${ratio >= 0.6 ? 'PASS' : 'FAIL'}`],
      ['failed requests', String(failed)],
    ];
    const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
    console.log(`Token endpoint vs raw RS256 signing (${new Date().toISOString()}, ${SECONDS} s each; the load generator shares the machine's cores)`);
    for (const [label, value] of rows) console.log(`  ${(label ?? '').padEnd(width)}  ${value}`);
  } finally {
    await keyless.stop();
  }
}

await main();
