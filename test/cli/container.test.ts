import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, startKeyless, tempDataDir } from '../fixtures/server.js';

/**
 * The container image. Docker images cannot be pulled here, so the image is
 * not built; instead the Dockerfile is read for the invariants that matter
 * (non-root, /data a volume, no secret baked in, a healthcheck, one Node and
 * Debian for both stages), and the image's own command line and HEALTHCHECK
 * run against this checkout, on loopback instead of 0.0.0.0.
 */
interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions of each stage, in order (comments dropped, continuation lines joined). */
function parseDockerfile(text: string): Instruction[][] {
  const lines = text.split('\n').filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [[]];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1] as string, args: (match[2] as string).trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    (stages.at(-1) as Instruction[]).push(instruction);
  }
  return stages;
}

const dockerfile = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const [preamble, build, runtime] = dockerfile as [Instruction[], Instruction[], Instruction[]];
const all = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);
const exec = (args: string): string[] => JSON.parse(args.replace(/^CMD\s+/, '')) as string[];

test('two stages on one Node.js and one Debian release: built with npm ci, shipped with production dependencies only', () => {
  assert.equal(dockerfile.length, 3, 'a preamble and two stages');
  assert.deepEqual(all(preamble, 'ARG'), ['NODE_VERSION=20']);
  assert.deepEqual(all(build, 'FROM'), ['node:${NODE_VERSION}-bookworm AS build']);
  assert.deepEqual(all(runtime, 'FROM'), ['node:${NODE_VERSION}-bookworm-slim']);
  const buildRuns = all(build, 'RUN').join(' && ');
  assert.match(buildRuns, /npm ci\b/);
  assert.match(buildRuns, /npm rebuild better-sqlite3/);
  assert.match(buildRuns, /npm run build/);
  assert.match(buildRuns, /npm prune --omit=dev/);
  assert.deepEqual(
    all(runtime, 'COPY').filter((c) => c.startsWith('--from=build')),
    ['--from=build /app/package.json ./', '--from=build /app/node_modules ./node_modules', '--from=build /app/dist/src ./dist/src', '--from=build /app/dist/portal ./dist/portal', '--from=build /app/bin ./bin'],
  );
  assert.deepEqual(all(runtime, 'RUN').join(' ').match(/npm (ci|install)/), null, 'nothing is installed or compiled in the runtime stage');
});

test('the runtime stage: a non-root user, /data as the volume and KEYLESS_DATA, the HTTPS port, a healthcheck, keyless up on every address', () => {
  const user = all(runtime, 'USER').at(-1);
  assert.ok(user !== undefined, 'a USER is set');
  assert.doesNotMatch(user, /^(root|0)(:|$)/);
  assert.match(user, /^[1-9]\d*:[1-9]\d*$/, 'numeric, so that runAsNonRoot can check it');
  assert.ok(all(runtime, 'VOLUME').some((v) => v === '["/data"]' || v === '/data'));
  assert.ok(all(runtime, 'ENV').some((e) => /\bKEYLESS_DATA=\/data\b/.test(e)));
  assert.ok(all(runtime, 'RUN').some((r) => /chown 1000:1000 \/data/.test(r) && /chmod 700 \/data/.test(r)));
  assert.deepEqual(all(runtime, 'EXPOSE'), ['8443']);
  const healthcheck = all(runtime, 'HEALTHCHECK');
  assert.equal(healthcheck.length, 1);
  assert.deepEqual(exec((healthcheck[0] as string).slice((healthcheck[0] as string).indexOf('CMD'))), ['node', '/app/bin/keyless-healthcheck']);
  assert.deepEqual(exec(all(runtime, 'ENTRYPOINT')[0] as string), ['keyless', 'up', '--host', '0.0.0.0']);
  assert.deepEqual(all(runtime, 'CMD'), []);
});

test('no secret is baked in: no secret-named ENV or ARG, no key or credential copied, and the build context leaves them out', () => {
  for (const stage of dockerfile) {
    for (const i of stage.filter((i) => i.keyword === 'ENV' || i.keyword === 'ARG')) {
      assert.doesNotMatch(i.args, /KEK|SECRET|PASSWORD|TOKEN|CREDENTIAL|PRIVATE|_KEY\b/i, `${i.keyword} ${i.args}`);
    }
    for (const copy of all(stage, 'COPY')) assert.doesNotMatch(copy, /kek|\.pem|\.key\b|\.env|credential|runtime\.json|\.db\b/i, copy);
  }
  const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const pattern of ['.git', 'node_modules', 'dist', '**/kek', '**/*.pem', '**/*.key', '**/.env', '**/*.db', '**/runtime.json', '**/admin-credential.json']) {
    assert.ok(ignored.includes(pattern), `.dockerignore lists ${pattern}`);
  }
});

/** Runs the HEALTHCHECK's command with /app as this checkout; resolves with its exit code and stderr. */
function healthcheck(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const [command, ...args] = exec((all(runtime, 'HEALTHCHECK')[0] as string).replace(/^.*?CMD/, 'CMD')).map((part) => part.replace(/^\/app\//, `${ROOT}/`));
  assert.equal(command, 'node');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, KEYLESS_DATA: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test("the image's command line, on loopback, with the KEK from a secret file: it starts, and the HEALTHCHECK passes while it runs and fails once it stops", async () => {
  const dataDir = tempDataDir();
  const secrets = tempDataDir();
  const kek = path.join(secrets, 'keyless-kek');
  fs.writeFileSync(kek, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  // ENTRYPOINT ["keyless", "up", "--host", "0.0.0.0"] + `--kek-file /run/secrets/keyless-kek`, with the image's ENV.
  const [, up, ...entrypoint] = exec(all(runtime, 'ENTRYPOINT')[0] as string).map((arg) => (arg === '0.0.0.0' ? '127.0.0.1' : arg));
  assert.equal(up, 'up');
  const keyless = await startKeyless({ dataDir, args: [...entrypoint, '--kek-file', kek], env: { NODE_ENV: 'production', KEYLESS_DATA: dataDir, KEYLESS_KEK: '' } });
  try {
    assert.equal(keyless.info.dataDir, dataDir);
    assert.deepEqual(await healthcheck(dataDir), { code: 0, stderr: '' });
  } finally {
    assert.equal(await keyless.stop(), 0);
  }
  const stopped = await healthcheck(dataDir);
  assert.equal(stopped.code, 1);
  assert.equal(stopped.stderr, `keyless-healthcheck: Keyless is not running with data folder ${dataDir} (start it with \`keyless up\`).\n`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(secrets, { recursive: true, force: true });
});
