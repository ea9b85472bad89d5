import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.js';
import { defineEntity, keyOf, ReadModel, Store, type EntityValue } from '../../src/store/index.js';
import { ENTITIES } from '../../src/entities.js';
import { describeEachDialect, type Core } from '../fixtures/core.js';

/*
 * An entity declared here and nowhere else: its table, codec and index live in
 * this file, and nothing under src/store/ knows it. It must round-trip through
 * the writer, the change log, loading and the read model like the built-in ones.
 */

interface Gadget {
  /** May contain '|': the change-log key joins the key columns with it, splitting from the right. */
  readonly owner: string;
  readonly name: string;
  readonly serial: string;
  readonly parts: readonly { readonly n: number; readonly label: string | null }[];
  readonly note: string | null;
}

type GadgetRow = { owner: string; name: string; serial: string; parts: string; note: string | null };

const gadgetEntity = defineEntity({
  name: 'testGadget',
  table: 'test_gadgets',
  key: ['owner', 'name'],
  lookups: ['owner'],
  codec: {
    from: (r: GadgetRow): Gadget => ({ owner: r.owner, name: r.name, serial: r.serial, parts: JSON.parse(r.parts) as Gadget['parts'], note: r.note }),
    to: (g: Gadget): GadgetRow => ({ owner: g.owner, name: g.name, serial: g.serial, parts: JSON.stringify(g.parts), note: g.note }),
  },
  indexes: { serial: (g: Gadget) => g.serial.toLowerCase() },
  // Its table comes from its own declared migration, run by openDatabase like the store's.
  migrations: {
    '9001_test_gadgets': () => [
      sql`create table test_gadgets (owner text not null, name text not null, serial text not null unique,
        parts text not null, note text, primary key (owner, name))`,
    ],
  },
});

const hex = (bytes = 4): string => randomBytes(bytes).toString('hex');

/** A store and read model on the core's database that know every entity of Keyless plus the gadget. */
async function instance(core: Core): Promise<{ store: Store; model: ReadModel }> {
  const entities = [...ENTITIES, gadgetEntity];
  const handle = await openDatabase({ url: core.target.url, entities, ...(core.target.schema !== undefined ? { schema: core.target.schema } : {}) });
  const store = new Store(handle, entities);
  const model = new ReadModel(store);
  await model.load();
  return { store, model };
}

describeEachDialect('store registry', (open) => {
  describe('an entity declared outside the store', () => {
    let core: Core;
    let a: { store: Store; model: ReadModel };
    let b: { store: Store; model: ReadModel };
    before(async () => {
      core = await open();
      a = await instance(core);
      b = await instance(core);
    });
    after(async () => {
      await b?.store.close();
      await a?.store.close();
      await core?.close();
    });

    test('round-trips through put and delete, the change log, loading and both read models', async () => {
      const owner = `team|${hex()}`;
      const first: Gadget = { owner, name: 'Widget', serial: `SN-${hex()}`, parts: [{ n: 1, label: 'ü "quoted"' }, { n: 2, label: null }], note: null };
      const second: Gadget = { owner, name: 'Sprocket', serial: `SN-${hex()}`, parts: [], note: 'line\nbreak' };
      const firstKey = `${owner}|Widget`;
      assert.equal(keyOf(gadgetEntity, first), firstKey);
      const seen: string[] = [];
      b.model.on(gadgetEntity, (change: EntityValue<Gadget>) => seen.push(`${change.key}:${change.value ? change.value.serial : 'deleted'}`));

      // put: the database, the change log and the writer's own read model.
      const put = await a.store.write(async (w) => {
        await w.put(gadgetEntity, first);
        await w.put(gadgetEntity, second);
      });
      assert.ok(put.revision > 0);
      const changes = await a.store.changesSince(put.revision - 1);
      assert.deepEqual(changes, [
        { rev: put.revision, entity: 'testGadget', key: firstKey },
        { rev: put.revision, entity: 'testGadget', key: `${owner}|Sprocket` },
      ]);
      assert.deepEqual(await a.store.load(gadgetEntity, firstKey), { entity: 'testGadget', key: firstKey, value: first });
      const found = await a.store.write((w) => w.find(gadgetEntity, 'owner', owner));
      assert.deepEqual(found.value.map((g) => g.name).sort(), ['Sprocket', 'Widget']);
      assert.deepEqual((await a.store.loadAll()).of(gadgetEntity).filter((g) => g.owner === owner).length, 2);
      await a.model.reach(put.revision);
      const tableA = a.model.table(gadgetEntity);
      assert.deepEqual(tableA.get(firstKey), first);
      assert.deepEqual(tableA.by('serial', first.serial.toLowerCase()), first);

      // A second instance catches up, and its listener hears of each change once.
      assert.equal(b.model.table(gadgetEntity).has(firstKey), false, 'not applied before catching up');
      await b.model.catchUp();
      assert.equal(b.model.revision, put.revision);
      assert.deepEqual(b.model.table(gadgetEntity).get(firstKey), first);
      assert.deepEqual(b.model.table(gadgetEntity).by('serial', second.serial.toLowerCase()), second);
      assert.deepEqual(seen.sort(), [`${firstKey}:${first.serial}`, `${owner}|Sprocket:${second.serial}`].sort());

      // Update: the new serial replaces the old index entry.
      const renumbered = { ...first, serial: `SN-${hex()}` };
      const update = await a.store.write((w) => w.put(gadgetEntity, renumbered));
      await a.model.reach(update.revision);
      await b.model.catchUp();
      for (const model of [a.model, b.model]) {
        assert.deepEqual(model.table(gadgetEntity).get(firstKey), renumbered);
        assert.equal(model.table(gadgetEntity).by('serial', first.serial.toLowerCase()), undefined);
        assert.deepEqual(model.table(gadgetEntity).by('serial', renumbered.serial.toLowerCase()), renumbered);
      }

      // delete, by the change-log key.
      seen.length = 0;
      const deleted = await a.store.write((w) => w.delete(gadgetEntity, firstKey));
      assert.deepEqual(await a.store.changesSince(deleted.revision - 1), [{ rev: deleted.revision, entity: 'testGadget', key: firstKey }]);
      assert.equal((await a.store.load(gadgetEntity, firstKey)).value, undefined);
      await a.model.reach(deleted.revision);
      await b.model.catchUp();
      for (const model of [a.model, b.model]) {
        assert.equal(model.table(gadgetEntity).has(firstKey), false);
        assert.equal(model.table(gadgetEntity).by('serial', renumbered.serial.toLowerCase()), undefined);
        assert.deepEqual(model.table(gadgetEntity).get(`${owner}|Sprocket`), second);
      }
      assert.deepEqual(seen, [`${firstKey}:deleted`]);

      // A model loaded afresh equals the ones kept up to date.
      const fresh = await instance(core);
      try {
        assert.deepEqual([...fresh.model.table(gadgetEntity)].sort(), [...a.model.table(gadgetEntity)].sort());
        assert.equal(fresh.model.revision, a.model.revision);
      } finally {
        await fresh.store.close();
      }
    });

    test('an instance that does not declare the entity skips its changes, and cannot write it', async () => {
      const gadget: Gadget = { owner: `solo-${hex()}`, name: 'Gizmo', serial: `SN-${hex()}`, parts: [], note: null };
      const { revision } = await a.store.write((w) => w.put(gadgetEntity, gadget));
      await core.model.catchUp();
      assert.equal(core.model.revision, revision, 'caught up past the change it does not know');
      assert.throws(() => core.model.table(gadgetEntity), { code: 'UnregisteredEntity' });
      const before = await core.store.revision();
      await assert.rejects(core.store.write((w) => w.put(gadgetEntity, { ...gadget, name: 'Other' })), { code: 'UnregisteredEntity' });
      assert.equal(await core.store.revision(), before);
      assert.equal((await a.store.load(gadgetEntity, `${gadget.owner}|Other`)).value, undefined);
    });
  });
});
