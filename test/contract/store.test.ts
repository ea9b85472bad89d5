import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { migrationProvider } from '../../src/store/migrations.js';
import { openDatabase } from '../../src/store/database.js';
import { ENTITIES } from '../../src/entities.js';
import { metaEntity, type AnyEntityDeclaration, type Writer } from '../../src/store/index.js';
import { principalEntity, secretEntity } from '../../src/directory/index.js';
import { groupEntity, resourceEntity } from '../../src/resources/index.js';
import { accountKeyEntity } from '../../src/keys/index.js';
import { assignmentEntity } from '../../src/rbac/index.js';
import { signingKeyEntity } from '../../src/tokens/index.js';
import type { ClientSecret, Principal } from '../../src/directory/model.js';
import type { Resource, ResourceGroup } from '../../src/resources/model.js';
import type { AccountKey } from '../../src/keys/model.js';
import type { RoleAssignment } from '../../src/rbac/model.js';
import type { SigningKeyRecord } from '../../src/tokens/model.js';
import { describeEachDialect, type Core } from '../fixtures/core.js';
import { increment, type WriterConfig, type WriterOutcome } from './store-writer.js';

const WRITER_SCRIPT = fileURLToPath(new URL('./store-writer.js', import.meta.url));

/** Starts store-writer.js on the core's database and resolves once it is ready; `go()` starts its writes. */
async function startWriter(core: Core, config: Omit<WriterConfig, 'url' | 'schema'>): Promise<{ go(): void; done: Promise<WriterOutcome> }> {
  const full: WriterConfig = { ...config, url: core.target.url, ...(core.target.schema !== undefined ? { schema: core.target.schema } : {}) };
  const child = spawn(process.execPath, [WRITER_SCRIPT, JSON.stringify(full)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`store-writer did not become ready in 20 s: ${out}${err}`));
    }, 20_000);
    child.stdout.on('data', () => {
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`store-writer exited with ${code} before it was ready: ${out}${err}`));
    });
  });
  const done = exited.then((code) => {
    const last = out.trim().split('\n').pop() ?? '';
    if (code !== 0 || !last.startsWith('{')) throw new Error(`store-writer exited with ${code}: ${out}${err}`);
    return JSON.parse(last) as WriterOutcome;
  });
  done.catch(() => undefined); // awaited later by the test; an early failure is not an unhandled rejection
  return { go: () => child.stdin.write('go\n'), done };
}

const now = (): string => new Date().toISOString();
const hex = (bytes = 8): string => randomBytes(bytes).toString('hex');

function principal(overrides: Partial<Principal> = {}): Principal {
  return {
    objectId: randomUUID(),
    appId: randomUUID(),
    kind: 'Application',
    displayName: `app "quoted" ü ${hex(2)}`,
    resourceId: null,
    applicationObjectId: randomUUID(),
    createdAt: now(),
    ...overrides,
  };
}

function secret(objectId: string, overrides: Partial<ClientSecret> = {}): ClientSecret {
  return { id: randomUUID(), objectId, digest: hex(32), hint: 'abc', displayName: 'ci secret', expiresAt: now(), createdAt: now(), ...overrides };
}

function group(core: Core, name = `rg-${hex(4)}`, overrides: Partial<ResourceGroup> = {}): ResourceGroup {
  const id = `/subscriptions/${core.subscriptionId}/resourceGroups/${name}`;
  return { id, key: id.toLowerCase(), name, location: 'eastus', tags: { env: 'test', 'ü-name': 'välue' }, createdAt: now(), ...overrides };
}

function resource(g: ResourceGroup, overrides: Partial<Resource> = {}): Resource {
  const name = `Site-${hex(3)}`;
  const id = `${g.id}/providers/Microsoft.Web/sites/${name}`;
  return {
    id,
    key: id.toLowerCase(),
    groupKey: g.key,
    parentKey: null,
    type: 'Microsoft.Web/sites',
    name,
    location: 'eastus',
    kind: 'app,linux',
    sku: { name: 'S0', capacity: 2, nested: { list: [1, 'two', null, true] } },
    tags: { a: 'b' },
    properties: { deep: { array: [{ x: 1 }, { y: 'z' }], nothing: null, flag: false }, text: 'line\nbreak "q"' },
    identity: { systemPrincipalId: randomUUID(), userAssigned: [`${g.id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/Id-One`] },
    createdAt: now(),
    ...overrides,
  };
}

function accountKey(accountKeyValue: string, keyName: 'key1' | 'key2', overrides: Partial<AccountKey> = {}): AccountKey {
  return { accountKey: accountKeyValue, keyName, sealed: `sealed-${hex()}`, digest: hex(32), createdAt: now(), generation: 1, ...overrides };
}

function assignment(core: Core, principalId: string, scope?: string): RoleAssignment {
  const name = randomUUID();
  const at = scope ?? `/subscriptions/${core.subscriptionId}/resourceGroups/RG-Mixed-Case`;
  return {
    id: `${at}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope: at,
    roleDefinitionId: `/subscriptions/${core.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd`,
    principalId,
    principalType: 'ServicePrincipal',
    createdOn: now(),
  };
}

function signingKey(overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  const kid = hex(16);
  return {
    kid,
    status: 'next',
    sealedPrivate: `sealed-${hex()}`,
    publicJwk: { kty: 'RSA', use: 'sig', kid, n: hex(64), e: 'AQAB' },
    createdAt: now(),
    retiredAt: null,
    ...overrides,
  };
}

/** A write through the store, then the local read model brought up to it. */
async function write<T>(core: Core, work: (writer: Writer) => Promise<T>): Promise<{ value: T; revision: number }> {
  const result = await core.store.write(work);
  await core.model.reach(result.revision);
  return result;
}

/** The read model's tables under the names the assertions use (meta as key → value). */
function tables(core: Core) {
  const model = core.model;
  return {
    meta: new Map([...model.table(metaEntity)].map(([key, m]) => [key, m.value])),
    principals: model.table(principalEntity),
    principalsByAppId: model.table(principalEntity).index('appId'),
    secrets: model.table(secretEntity),
    secretsByDigest: model.table(secretEntity).index('digest'),
    groups: model.table(groupEntity),
    resources: model.table(resourceEntity),
    accountKeys: model.table(accountKeyEntity),
    accountKeysByDigest: model.table(accountKeyEntity).index('digest'),
    assignments: model.table(assignmentEntity),
    signingKeys: model.table(signingKeyEntity),
  };
}

/** A comparable picture of everything a read model holds. */
function snapshot(core: Core): Record<string, unknown> {
  const sorted = <V>(map: ReadonlyMap<string, V>): [string, V][] => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    revision: core.model.revision,
    meta: sorted(tables(core).meta),
    principals: sorted(tables(core).principals),
    principalsByAppId: sorted(tables(core).principalsByAppId),
    secrets: sorted(tables(core).secrets),
    secretsByDigest: sorted(tables(core).secretsByDigest),
    groups: sorted(tables(core).groups),
    resources: sorted(tables(core).resources),
    accountKeys: sorted(tables(core).accountKeys),
    accountKeysByDigest: sorted(tables(core).accountKeysByDigest),
    assignments: [...tables(core).assignments.list()].sort((a, b) => a.id.localeCompare(b.id)),
    signingKeys: sorted(tables(core).signingKeys),
  };
}

/** The same, read from the database in one go. */
async function stored(core: Core): Promise<Record<string, unknown>> {
  const state = await core.store.loadAll();
  const by = <V>(list: readonly V[], key: (v: V) => string): V[] => [...list].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    revision: state.revision,
    meta: state.of(metaEntity).map((m): [string, string] => [m.key, m.value]).sort(([a], [b]) => a.localeCompare(b)),
    principals: by(state.of(principalEntity), (p) => p.objectId),
    secrets: by(state.of(secretEntity), (s) => s.id),
    groups: by(state.of(groupEntity), (g) => g.key),
    resources: by(state.of(resourceEntity), (r) => r.key),
    accountKeys: by(state.of(accountKeyEntity), (k) => `${k.accountKey}|${k.keyName}`),
    assignments: by(state.of(assignmentEntity), (a) => a.id),
    signingKeys: by(state.of(signingKeyEntity), (k) => k.kid),
  };
}

describeEachDialect('store contract', (open, dialect) => {
  describe('migrations', () => {
    test('run on a fresh database, then again on the migrated one without error or a second set-up', async () => {
      const first = await open();
      try {
        assert.ok(first.model.revision > 0, 'bootstrap wrote the first revision');
        const before = await stored(first);
        const second = await open({ join: first });
        try {
          assert.equal(second.tenantId, first.tenantId);
          assert.equal(second.subscriptionId, first.subscriptionId);
          assert.equal(second.adminObjectId, first.adminObjectId);
          assert.deepEqual(await stored(second), before, 'opening again changes nothing');
        } finally {
          await second.close();
        }
        // A third open straight through openDatabase, and the migration table holds each migration once.
        const handle = await openDatabase({ url: first.target.url, entities: ENTITIES, ...(first.target.schema !== undefined ? { schema: first.target.schema } : {}) });
        try {
          const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db);
          const expected = Object.keys(await migrationProvider(first.dialect, ENTITIES).getMigrations()).sort();
          assert.ok(expected.length >= 2);
          assert.deepEqual(rows.rows.map((r) => r.name), expected);
        } finally {
          await handle.db.destroy();
        }
      } finally {
        await first.close();
      }
    });

    test('two Keyless databases side by side (another schema or file) each migrate', async () => {
      // On PostgreSQL each core has its own schema in the same database.
      const a = await open();
      try {
        const b = await open();
        try {
          assert.notEqual(b.tenantId, a.tenantId);
          assert.ok(b.model.revision > 0);
        } finally {
          await b.close();
        }
      } finally {
        await a.close();
      }
    });
  });

  describe('entities, revisions and rollback', () => {
    let core: Core;
    before(async () => {
      core = await open();
    });
    after(async () => {
      await core?.close();
    });

    test('meta round-trips and updates', async () => {
      const key = `test:${hex()}`;
      await write(core, (w) => w.put(metaEntity, { key, value: 'first ü' }));
      assert.deepEqual(await core.store.load(metaEntity, key), { entity: 'meta', key, value: { key, value: 'first ü' } });
      assert.equal(tables(core).meta.get(key), 'first ü');
      await write(core, (w) => w.put(metaEntity, { key, value: 'second' }));
      assert.equal((await core.store.load(metaEntity, key)).value?.value, 'second');
      assert.equal((await core.store.loadAll()).of(metaEntity).find((m) => m.key === key)?.value, 'second');
      assert.equal(tables(core).meta.get(key), 'second');
    });

    test('principal and secret round-trip; updating and deleting keep the indexes right; deleting a principal deletes its secrets', async () => {
      const p = principal();
      const hosted = principal({ kind: 'SystemAssignedIdentity', resourceId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z' });
      const s = secret(p.objectId);
      await write(core, async (w) => {
        await w.put(principalEntity, p);
        await w.put(principalEntity, hosted);
        await w.put(secretEntity, s);
      });
      assert.deepEqual((await core.store.load(principalEntity, p.objectId)).value, p);
      assert.deepEqual((await core.store.load(principalEntity, hosted.objectId)).value, hosted);
      assert.deepEqual((await core.store.load(secretEntity, s.id)).value, s);
      const all = await core.store.loadAll();
      assert.deepEqual(all.of(principalEntity).find((x) => x.objectId === p.objectId), p);
      assert.deepEqual(all.of(secretEntity).find((x) => x.id === s.id), s);
      assert.deepEqual(tables(core).principals.get(p.objectId), p);
      assert.deepEqual(tables(core).principalsByAppId.get(p.appId), p);
      assert.deepEqual(tables(core).principals.get(hosted.objectId), hosted);
      assert.deepEqual(tables(core).secrets.get(s.id), s);
      assert.deepEqual(tables(core).secretsByDigest.get(s.digest), s);
      assert.deepEqual(core.directory.principal(p.objectId), p);

      // Update: a new app id and digest replace the old index entries.
      const p2 = { ...p, appId: randomUUID(), displayName: 'renamed' };
      const s2 = { ...s, digest: hex(32), hint: 'xyz' };
      await write(core, async (w) => {
        await w.put(principalEntity, p2);
        await w.put(secretEntity, s2);
      });
      assert.deepEqual((await core.store.load(principalEntity, p.objectId)).value, p2);
      assert.deepEqual(tables(core).principals.get(p.objectId), p2);
      assert.equal(tables(core).principalsByAppId.get(p.appId), undefined);
      assert.deepEqual(tables(core).principalsByAppId.get(p2.appId), p2);
      assert.equal(tables(core).secretsByDigest.get(s.digest), undefined);
      assert.deepEqual(tables(core).secretsByDigest.get(s2.digest), s2);

      // A secret alone can go.
      const other = secret(hosted.objectId);
      await write(core, (w) => w.put(secretEntity, other));
      await write(core, (w) => w.delete(secretEntity, other.id));
      assert.equal((await core.store.load(secretEntity, other.id)).value, undefined);
      assert.equal(tables(core).secrets.get(other.id), undefined);
      assert.equal(tables(core).secretsByDigest.get(other.digest), undefined);

      // Deleting the principal takes its secrets with it, in the DB and in the model.
      await write(core, (w) => core.directory.deletePrincipal(w, p.objectId));
      assert.equal((await core.store.load(principalEntity, p.objectId)).value, undefined);
      assert.equal((await core.store.load(secretEntity, s.id)).value, undefined);
      assert.equal(tables(core).principals.get(p.objectId), undefined);
      assert.equal(tables(core).principalsByAppId.get(p2.appId), undefined);
      assert.equal(tables(core).secrets.get(s.id), undefined);
      assert.equal(tables(core).secretsByDigest.get(s2.digest), undefined);
      assert.deepEqual(tables(core).principals.get(hosted.objectId), hosted, 'the other principal stays');
    });

    test('group round-trips with its tags, updates and deletes', async () => {
      const g = group(core);
      await write(core, (w) => w.put(groupEntity, g));
      assert.deepEqual((await core.store.load(groupEntity, g.key)).value, g);
      assert.deepEqual((await core.store.loadAll()).of(groupEntity).find((x) => x.key === g.key), g);
      assert.deepEqual(tables(core).groups.get(g.key), g);
      const g2 = { ...g, tags: {}, location: 'westus' };
      await write(core, (w) => w.put(groupEntity, g2));
      assert.deepEqual((await core.store.load(groupEntity, g.key)).value, g2);
      assert.deepEqual(tables(core).groups.get(g.key), g2);
      await write(core, (w) => w.delete(groupEntity, g.key));
      assert.equal((await core.store.load(groupEntity, g.key)).value, undefined);
      assert.equal(tables(core).groups.has(g.key), false);
    });

    test('resource round-trips with JSON fields, identity block, nulls and a parent', async () => {
      const g = group(core);
      const parent = resource(g);
      const childId = `${parent.id}/slots/Blue`;
      const child = resource(g, {
        id: childId, key: childId.toLowerCase(), parentKey: parent.key, name: 'Blue', kind: null, sku: null, identity: null, tags: {}, properties: {},
      });
      const emptyIdentity = resource(g, { identity: { systemPrincipalId: null, userAssigned: [] } });
      await write(core, async (w) => {
        await w.put(groupEntity, g);
        await w.put(resourceEntity, parent);
        await w.put(resourceEntity, child);
        await w.put(resourceEntity, emptyIdentity);
      });
      for (const r of [parent, child, emptyIdentity]) {
        assert.deepEqual((await core.store.load(resourceEntity, r.key)).value, r);
        assert.deepEqual(tables(core).resources.get(r.key), r);
      }
      const all = await core.store.loadAll();
      assert.deepEqual(all.of(resourceEntity).find((x) => x.key === parent.key), parent);
      const w2 = { ...parent, identity: null, properties: { replaced: true }, sku: null };
      await write(core, (w) => w.put(resourceEntity, w2));
      assert.deepEqual((await core.store.load(resourceEntity, parent.key)).value, w2);
      assert.deepEqual(tables(core).resources.get(parent.key), w2);
      await write(core, async (w) => {
        for (const r of [parent, child, emptyIdentity]) await w.delete(resourceEntity, r.key);
        await w.delete(groupEntity, g.key);
      });
      for (const r of [parent, child, emptyIdentity]) {
        assert.equal((await core.store.load(resourceEntity, r.key)).value, undefined);
        assert.equal(tables(core).resources.has(r.key), false);
      }
    });

    test('account keys round-trip, update by (account, name) and delete per account', async () => {
      const account = `/subscriptions/${core.subscriptionId}/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/${hex(3)}`;
      const k1 = accountKey(account, 'key1');
      const k2 = accountKey(account, 'key2');
      await write(core, async (w) => {
        await w.put(accountKeyEntity, k1);
        await w.put(accountKeyEntity, k2);
      });
      assert.deepEqual((await core.store.load(accountKeyEntity, `${account}|key1`)).value, k1);
      assert.deepEqual((await core.store.load(accountKeyEntity, `${account}|key2`)).value, k2);
      assert.deepEqual(tables(core).accountKeys.get(`${account}|key1`), k1);
      assert.deepEqual(tables(core).accountKeysByDigest.get(k2.digest), k2);
      const all = await core.store.loadAll();
      assert.equal(all.of(accountKeyEntity).filter((k) => k.accountKey === account).length, 2);

      const k1b = accountKey(account, 'key1');
      await write(core, (w) => w.put(accountKeyEntity, k1b));
      assert.deepEqual((await core.store.load(accountKeyEntity, `${account}|key1`)).value, k1b);
      assert.equal(tables(core).accountKeysByDigest.get(k1.digest), undefined, 'the old digest no longer matches');
      assert.deepEqual(tables(core).accountKeysByDigest.get(k1b.digest), k1b);

      await write(core, (w) => core.keys.deleteKeys(w, account));
      assert.equal((await core.store.load(accountKeyEntity, `${account}|key1`)).value, undefined);
      assert.equal((await core.store.load(accountKeyEntity, `${account}|key2`)).value, undefined);
      assert.equal(tables(core).accountKeys.has(`${account}|key1`), false);
      assert.equal(tables(core).accountKeys.has(`${account}|key2`), false);
      assert.equal(tables(core).accountKeysByDigest.get(k1b.digest), undefined);
      assert.equal(tables(core).accountKeysByDigest.get(k2.digest), undefined);
    });

    test('role assignment round-trips (keyed by lowercased id), updates and deletes', async () => {
      const p = principal();
      const a = assignment(core, p.objectId);
      await write(core, async (w) => {
        await w.put(principalEntity, p);
        await w.put(assignmentEntity, a);
      });
      const key = a.id.toLowerCase();
      assert.deepEqual((await core.store.load(assignmentEntity, key)).value, a);
      assert.deepEqual((await core.store.loadAll()).of(assignmentEntity).find((x) => x.id === a.id), a);
      assert.deepEqual(tables(core).assignments.get(a.id), a);
      assert.deepEqual(tables(core).assignments.byPrincipal(p.objectId), [a]);

      const a2 = { ...a, principalType: 'Group' as const, createdOn: now() };
      await write(core, (w) => w.put(assignmentEntity, a2));
      assert.deepEqual((await core.store.load(assignmentEntity, key)).value, a2);
      assert.deepEqual(tables(core).assignments.get(a.id), a2);
      assert.equal(tables(core).assignments.byPrincipal(p.objectId).length, 1);

      await write(core, (w) => w.delete(assignmentEntity, key));
      assert.equal((await core.store.load(assignmentEntity, key)).value, undefined);
      assert.equal(tables(core).assignments.get(a.id), undefined);
      assert.deepEqual(tables(core).assignments.byPrincipal(p.objectId), []);
    });

    test('signing key round-trips and updates (bootstrap made current and next)', async () => {
      const initial = [...tables(core).signingKeys.values()].map((k) => k.status).sort();
      assert.deepEqual(initial, ['current', 'next']);
      const k = signingKey();
      await write(core, (w) => w.put(signingKeyEntity, k));
      assert.deepEqual((await core.store.load(signingKeyEntity, k.kid)).value, k);
      assert.deepEqual(tables(core).signingKeys.get(k.kid), k);
      const retired = { ...k, status: 'retired' as const, retiredAt: now() };
      await write(core, (w) => w.put(signingKeyEntity, retired));
      assert.deepEqual((await core.store.load(signingKeyEntity, k.kid)).value, retired);
      assert.deepEqual((await core.store.loadAll()).of(signingKeyEntity).find((x) => x.kid === k.kid), retired);
      assert.deepEqual(tables(core).signingKeys.get(k.kid), retired);
    });

    test('load of a missing key answers undefined for every entity', async () => {
      const decls: AnyEntityDeclaration[] = [metaEntity, principalEntity, secretEntity, groupEntity, resourceEntity, accountKeyEntity, assignmentEntity, signingKeyEntity];
      for (const decl of decls) {
        const entity = decl.name;
        const missing = entity === 'accountKey' ? `nothing-${hex()}|key1` : `nothing-${hex()}`;
        assert.deepEqual(await core.store.load(decl, missing), { entity, key: missing, value: undefined });
      }
    });

    test('the read model matches the database after all of the above', async () => {
      await core.model.catchUp();
      const fromDb = await stored(core);
      const fresh = await open({ join: core });
      try {
        assert.deepEqual(snapshot(fresh), snapshot(core), 'a freshly loaded model equals the incrementally maintained one');
        assert.equal(core.model.revision, fromDb['revision']);
      } finally {
        await fresh.close();
      }
    });

    test('each write gets one new, strictly increasing revision; a write that changes nothing gets 0', async () => {
      const start = await core.store.revision();
      assert.equal(core.model.revision, start);
      const revisions: number[] = [];
      for (let i = 0; i < 5; i++) {
        const g = group(core);
        const { revision } = await write(core, async (w) => {
          await w.put(groupEntity, g);
          await w.put(metaEntity, { key: `rev:${i}`, value: String(i) });
          await w.put(principalEntity, principal());
        });
        revisions.push(revision);
        assert.equal(await core.store.revision(), revision);
        const changes = await core.store.changesSince(revision - 1);
        assert.deepEqual(changes.map((c) => c.rev), [revision, revision, revision], 'three changes, all under one revision');
        assert.deepEqual(changes.map((c) => c.entity).sort(), ['group', 'meta', 'principal']);
      }
      assert.ok(revisions[0]! > start);
      for (let i = 1; i < revisions.length; i++) assert.ok(revisions[i]! > revisions[i - 1]!, `revision ${revisions[i]} after ${revisions[i - 1]}`);
      const last = revisions[revisions.length - 1]!;

      const reading = await core.store.write(async (w) => (await w.get(metaEntity, 'rev:0'))?.value ?? 'none');
      assert.deepEqual(reading, { value: '0', revision: 0 });
      const nothing = await core.store.write(async () => 42);
      assert.deepEqual(nothing, { value: 42, revision: 0 });
      assert.equal(await core.store.revision(), last);
      assert.deepEqual(await core.store.changesSince(last), []);
      await core.model.catchUp();
      assert.equal(core.model.revision, last);
    });

    test('a write with many changes commits, under one revision', async () => {
      // Above what one statement can bind if the change log is written in one INSERT
      // (SQLite: 32,766 variables = 10,922 changes of 3 columns; PostgreSQL: 65,535 parameters = 21,845 changes).
      const count = dialect === 'sqlite' ? 11_000 : 22_000;
      const prefix = `bulk:${hex()}`;
      const { revision } = await write(core, async (w) => {
        for (let i = 0; i < count; i++) await w.put(metaEntity, { key: `${prefix}:${i}`, value: String(i) });
      });
      assert.ok(revision > 0);
      const changes = await core.store.changesSince(revision - 1);
      assert.equal(changes.filter((c) => c.rev === revision).length, count);
      assert.equal(tables(core).meta.get(`${prefix}:${count - 1}`), String(count - 1));
    });

    test('a write whose callback throws leaves nothing behind', async () => {
      await core.model.catchUp();
      const revision = await core.store.revision();
      const modelBefore = snapshot(core);
      const dbBefore = await stored(core);
      const g = group(core);
      const p = principal();
      const s = secret(p.objectId);
      const existing = [...tables(core).signingKeys.values()][0]!;
      await assert.rejects(
        core.store.write(async (w) => {
          await w.put(groupEntity, g);
          await w.put(principalEntity, p);
          await w.put(secretEntity, s);
          await w.put(metaEntity, { key: 'tenantId', value: 'changed' });
          await w.put(signingKeyEntity, { ...existing, status: 'revoked' });
          await w.put(resourceEntity, resource(g));
          throw new Error('boom after writing');
        }),
        /boom after writing/,
      );
      assert.equal((await core.store.load(groupEntity, g.key)).value, undefined);
      assert.equal((await core.store.load(principalEntity, p.objectId)).value, undefined);
      assert.equal((await core.store.load(secretEntity, s.id)).value, undefined);
      assert.equal((await core.store.load(metaEntity, 'tenantId')).value?.value, core.tenantId, 'the overwritten meta value is back');
      assert.equal(await core.store.revision(), revision, 'no new revision');
      assert.deepEqual(await core.store.changesSince(revision), [], 'no change logged');
      assert.deepEqual(await stored(core), dbBefore);
      await core.model.catchUp();
      assert.deepEqual(snapshot(core), modelBefore, 'the read model is unchanged');

      // The next write works and gets a revision above the last one.
      const after = await write(core, (w) => w.put(groupEntity, g));
      assert.ok(after.revision > revision);
      assert.deepEqual(tables(core).groups.get(g.key), g);
    });

    test('unique constraints hold and a violation rolls back the whole write', async () => {
      const p = principal();
      const account = `/subscriptions/${core.subscriptionId}/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/${hex(3)}`;
      const k = accountKey(account, 'key1');
      const s = secret(p.objectId);
      await write(core, async (w) => {
        await w.put(principalEntity, p);
        await w.put(accountKeyEntity, k);
        await w.put(secretEntity, s);
      });
      const revision = await core.store.revision();
      const modelBefore = snapshot(core);
      const dbBefore = await stored(core);

      // Another principal with the same app id.
      const g1 = group(core);
      const clash = principal({ appId: p.appId });
      await assert.rejects(
        core.store.write(async (w) => {
          await w.put(groupEntity, g1);
          await w.put(principalEntity, clash);
        }),
      );
      assert.equal((await core.store.load(groupEntity, g1.key)).value, undefined);
      assert.equal((await core.store.load(principalEntity, clash.objectId)).value, undefined);

      // Another account key with the same digest.
      const g2 = group(core);
      const other = accountKey(`${account}-other`, 'key2', { digest: k.digest });
      await assert.rejects(
        core.store.write(async (w) => {
          await w.put(groupEntity, g2);
          await w.put(accountKeyEntity, other);
        }),
      );
      assert.equal((await core.store.load(groupEntity, g2.key)).value, undefined);
      assert.equal((await core.store.load(accountKeyEntity, `${other.accountKey}|key2`)).value, undefined);

      // Another client secret with the same digest.
      const g3 = group(core);
      const twin = secret(p.objectId, { digest: s.digest });
      await assert.rejects(
        core.store.write(async (w) => {
          await w.put(groupEntity, g3);
          await w.put(secretEntity, twin);
        }),
      );
      assert.equal((await core.store.load(secretEntity, twin.id)).value, undefined);

      assert.equal(await core.store.revision(), revision);
      assert.deepEqual(await core.store.changesSince(revision), []);
      assert.deepEqual(await stored(core), dbBefore);
      await core.model.catchUp();
      assert.deepEqual(snapshot(core), modelBefore);
    });
  });

  describe('two instances on the same database', () => {
    // Two SQLite connections in one Node thread cannot interleave write transactions: better-sqlite3 is
    // synchronous, so one connection's busy wait blocks the thread that would commit the other's. On SQLite,
    // concurrency between instances is tested with a second process (store-writer.js) instead.
    const inProcessConcurrency = {
      skip: dialect === 'sqlite' ? 'SQLite: two connections in one thread cannot both write; see the two-process test' : false,
    };
    let a: Core;
    let b: Core;
    before(async () => {
      a = await open();
      b = await open({ join: a });
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    test('share the set-up and start at the same revision', () => {
      assert.equal(b.tenantId, a.tenantId);
      assert.equal(b.subscriptionId, a.subscriptionId);
      assert.deepEqual(b.pepper, a.pepper);
      assert.equal(b.model.revision, a.model.revision);
      assert.deepEqual(snapshot(b), snapshot(a));
    });

    test("a write through one is applied by the other's catchUp(), deletions included", async () => {
      const seen: string[] = [];
      b.model.on(groupEntity, (change) => seen.push(`${change.key}:${change.value ? 'put' : 'deleted'}`));
      const g = group(a);
      const p = principal();
      const s = secret(p.objectId);
      const { revision } = await write(a, async (w) => {
        await w.put(groupEntity, g);
        await w.put(principalEntity, p);
        await w.put(secretEntity, s);
      });
      assert.equal(tables(b).groups.has(g.key), false, 'not applied before catching up');
      await b.model.catchUp();
      assert.equal(b.model.revision, revision);
      assert.deepEqual(tables(b).groups.get(g.key), g);
      assert.deepEqual(b.directory.principal(p.objectId), p);
      assert.deepEqual(b.directory.principalByAppId(p.appId), p);
      assert.deepEqual(tables(b).secretsByDigest.get(s.digest), s);
      assert.deepEqual(seen, [`${g.key}:put`]);

      const deleted = await write(a, async (w) => {
        await a.directory.deletePrincipal(w, p.objectId);
        await w.delete(groupEntity, g.key);
      });
      await b.model.catchUp();
      assert.equal(b.model.revision, deleted.revision);
      assert.equal(tables(b).groups.has(g.key), false);
      assert.equal(b.directory.principal(p.objectId), undefined);
      assert.equal(b.directory.principalByAppId(p.appId), undefined);
      assert.equal(tables(b).secrets.has(s.id), false);
      assert.deepEqual(seen, [`${g.key}:put`, `${g.key}:deleted`]);
      assert.deepEqual(snapshot(b), snapshot(a));
    });

    test('reach(rev) catches up only when behind', async () => {
      const g = group(b);
      const { revision } = await b.store.write((w) => w.put(groupEntity, g));
      await a.model.reach(revision);
      assert.equal(a.model.revision, revision);
      assert.deepEqual(tables(a).groups.get(g.key), g);
      await a.model.reach(revision);
      await a.model.reach(revision - 1);
      assert.equal(a.model.revision, revision);
      await b.model.reach(revision);
      assert.deepEqual(snapshot(a), snapshot(b));
    });

    test('services on one instance see the other instance\'s resources, keys and assignments', async () => {
      const rg = `rg-shared-${hex(3)}`;
      await a.resources.putGroup(rg, { location: 'eastus' });
      const { resource: account } = await a.resources.put(
        { type: 'Microsoft.CognitiveServices/accounts', group: rg, names: ['shared-aoai'] },
        { location: 'eastus', kind: 'OpenAI', sku: { name: 'S0' } },
        'put',
      );
      const { resource: uai } = await a.resources.put(
        { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', group: rg, names: ['shared-id'] },
        { location: 'eastus' },
        'put',
      );
      const keys = await a.resources.listKeys(rg, 'shared-aoai');
      await b.model.catchUp();
      assert.deepEqual(b.resources.getGroup(rg), a.resources.getGroup(rg));
      assert.deepEqual(tables(b).resources.get(account.key), account);
      assert.deepEqual(b.keys.match(keys.key1), { accountKey: account.key, keyName: 'key1' });
      const principalId = String(uai.properties['principalId']);
      assert.equal(b.directory.principal(principalId)?.kind, 'UserAssignedIdentity');

      // A role assignment made through b is honoured by a.
      const { assignment } = await b.rbac.create(a.resources.getGroup(rg).id, randomUUID(), {
        roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
        principalId,
      });
      await a.model.catchUp();
      assert.deepEqual(a.rbac.get(assignment.id), assignment);
      const decision = a.rbac.authorize(principalId, 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action', 'dataAction', account.id);
      assert.equal(decision.allowed, true);

      // Deleting the group on a is seen by b.
      await a.resources.deleteGroup(rg);
      await b.model.catchUp();
      assert.throws(() => b.resources.getGroup(rg), { code: 'ResourceGroupNotFound' });
      assert.equal(b.directory.principal(principalId), undefined);
      // Its account is soft-deleted (0016), seen by b too; b's purge takes its keys, seen by a.
      const deleted = { location: 'eastus', group: rg, name: 'shared-aoai' };
      assert.deepEqual(b.resources.deletedAccounts.get(deleted).account, account);
      assert.equal(b.keys.match(keys.key1)?.accountKey, account.key);
      assert.equal(await b.resources.deletedAccounts.purge(deleted), true);
      await a.model.catchUp();
      assert.throws(() => a.resources.deletedAccounts.get(deleted), { code: 'ResourceNotFound' });
      assert.equal(a.keys.match(keys.key1), undefined);
      assert.deepEqual(snapshot(b), snapshot(a));
    });

    test('concurrent read-modify-write transactions from two processes are serialised', async () => {
      const counterKey = `counter:${hex()}`;
      const count = 25;
      const childPrefix = `child:${hex()}`;
      const parentPrefix = `parent:${hex()}`;
      const child = await startWriter(a, { counterKey, prefix: childPrefix, count });
      child.go();
      const settled = await Promise.allSettled(
        Array.from({ length: count }, (_, i) => increment(a.store, counterKey, `${parentPrefix}:${i}`)),
      );
      const outcome = await child.done;
      const parentErrors = settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : []));
      assert.deepEqual(
        { parent: parentErrors, child: outcome.errors },
        { parent: [], child: [] },
        `${parentErrors.length} + ${outcome.errors.length} of ${2 * count} writes failed`,
      );
      const revisions = [...settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])), ...outcome.revisions];
      assert.equal(new Set(revisions).size, 2 * count, 'every write has its own revision');
      assert.equal((await a.store.load(metaEntity, counterKey)).value?.value, String(2 * count), 'no lost update');
      await Promise.all([a.model.catchUp(), b.model.catchUp()]);
      for (const core of [a, b]) {
        assert.equal(tables(core).meta.get(counterKey), String(2 * count));
        for (let i = 0; i < count; i++) {
          assert.equal(tables(core).meta.get(`${childPrefix}:${i}`), 'written');
          assert.equal(tables(core).meta.get(`${parentPrefix}:${i}`), 'written');
        }
      }
      assert.deepEqual(snapshot(b), snapshot(a));
    });

    test('20 concurrent writes from both instances all land, with distinct revisions, and both models converge', inProcessConcurrency, async () => {
      const start = await a.store.revision();
      const groups = Array.from({ length: 20 }, () => group(a));
      const results = await Promise.all(
        groups.map((g, i) =>
          (i % 2 === 0 ? a : b).store.write(async (w) => {
            // Read, then write: the shape of every service write.
            assert.equal(await w.get(groupEntity, g.key), undefined);
            await w.put(groupEntity, g);
            await w.put(metaEntity, { key: `concurrent:${i}`, value: g.key });
            return i;
          }),
        ),
      );
      const revisions = results.map((r) => r.revision);
      assert.equal(new Set(revisions).size, 20, `distinct revisions: ${revisions.join(',')}`);
      for (const rev of revisions) assert.ok(rev > start);
      assert.equal(await a.store.revision(), Math.max(...revisions));
      const changes = await a.store.changesSince(start);
      assert.equal(changes.length, 40);
      for (const rev of revisions) assert.equal(changes.filter((c) => c.rev === rev).length, 2);
      await Promise.all([a.model.catchUp(), b.model.catchUp()]);
      for (const g of groups) {
        assert.deepEqual(tables(a).groups.get(g.key), g);
        assert.deepEqual(tables(b).groups.get(g.key), g);
      }
      assert.equal(a.model.revision, Math.max(...revisions));
      assert.deepEqual(snapshot(b), snapshot(a));
    });

    test('read-modify-write from both instances is serialised (no lost update, no failure)', inProcessConcurrency, async () => {
      const key = `counter:${hex()}`;
      await write(a, (w) => w.put(metaEntity, { key, value: '0' }));
      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).store.write(async (w) => {
            const current = Number((await w.get(metaEntity, key))?.value);
            await w.put(metaEntity, { key, value: String(current + 1) });
          }),
        ),
      );
      const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      assert.deepEqual(
        failures.map((f) => String((f.reason as Error).message)),
        [],
        `${failures.length} of 20 concurrent writes failed`,
      );
      assert.equal((await a.store.load(metaEntity, key)).value?.value, '20');
      await Promise.all([a.model.catchUp(), b.model.catchUp()]);
      assert.equal(tables(a).meta.get(key), '20');
      assert.equal(tables(b).meta.get(key), '20');
    });

    test(`concurrent service writes from both instances (${dialect}) converge`, inProcessConcurrency, async () => {
      const rg = `rg-race-${hex(3)}`;
      await a.resources.putGroup(rg, { location: 'eastus' });
      await b.model.catchUp();
      const names = Array.from({ length: 10 }, (_, i) => `id-race-${i}`);
      await Promise.all(
        names.map((name, i) =>
          (i % 2 === 0 ? a : b).resources.put(
            { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', group: rg, names: [name] },
            { location: 'eastus' },
            'put',
          ),
        ),
      );
      await Promise.all([a.model.catchUp(), b.model.catchUp()]);
      const listed = (core: Core) => core.resources.list('Microsoft.ManagedIdentity/userAssignedIdentities', rg).map((r) => r.name);
      assert.deepEqual(listed(a), names);
      assert.deepEqual(listed(b), names);
      assert.deepEqual(snapshot(b), snapshot(a));
    });
  });

  describe('read model catch-up', () => {
    test('catching up over several writes at once leaves the same lookup indexes as applying each write', async () => {
      // A client id, a secret digest and an account-key digest each move from one entity to another,
      // in writes that b applies in one catchUp(): b's indexes must end as a's, which applied each write.
      // Its own pair of instances, so that a failure here does not spill into the other tests.
      const a = await open();
      const b = await open({ join: a });
      try {
        const p1 = principal();
        const p2 = principal();
        const s1 = secret(p1.objectId);
        const s2 = secret(p2.objectId);
        const account = `/subscriptions/${a.subscriptionId}/resourcegroups/rg/providers/microsoft.cognitiveservices/accounts/${hex(3)}`;
        const k1 = accountKey(account, 'key1');
        const k2 = accountKey(account, 'key2');
        await write(a, async (w) => {
          await w.put(principalEntity, p1);
          await w.put(secretEntity, s1);
          await w.put(accountKeyEntity, k1);
        });
        await b.model.catchUp();
        // 1: the second entities appear, with values of their own.
        await write(a, async (w) => {
          await w.put(principalEntity, p2);
          await w.put(secretEntity, s2);
          await w.put(accountKeyEntity, k2);
        });
        // 2: the first entities give up their values.
        await write(a, async (w) => {
          await w.put(principalEntity, { ...p1, appId: randomUUID() });
          await w.put(secretEntity, { ...s1, digest: hex(32) });
          await w.put(accountKeyEntity, { ...k1, digest: hex(32) });
        });
        // 3: the second entities take them.
        await write(a, async (w) => {
          await w.put(principalEntity, { ...p2, appId: p1.appId });
          await w.put(secretEntity, { ...s2, digest: s1.digest });
          await w.put(accountKeyEntity, { ...k2, digest: k1.digest });
        });
        assert.equal(tables(a).principalsByAppId.get(p1.appId)?.objectId, p2.objectId);
        await b.model.catchUp();
        assert.equal(b.model.revision, a.model.revision);
        assert.deepEqual(
          {
            clientId: b.directory.principalByAppId(p1.appId)?.objectId,
            secretDigest: tables(b).secretsByDigest.get(s1.digest)?.id,
            accountKeyDigest: tables(b).accountKeysByDigest.get(k1.digest)?.keyName,
          },
          { clientId: p2.objectId, secretDigest: s2.id, accountKeyDigest: 'key2' },
          'lookups by moved values after a batched catch-up',
        );
        assert.deepEqual(snapshot(b), snapshot(a));
      } finally {
        await b.close();
        await a.close();
      }
    });
  });
});
