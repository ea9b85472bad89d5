import { defineEntity } from './entity.js';

/** A set-up value (tenant id, sealed pepper, …) in the `meta` table. The store's own entity: no context owns it. */
export interface MetaEntry {
  readonly key: string;
  readonly value: string;
}

export const metaEntity = defineEntity({
  name: 'meta',
  table: 'meta',
  key: ['key'],
  codec: {
    from: (r: { key: string; value: string }): MetaEntry => ({ key: r.key, value: r.value }),
    to: (m: MetaEntry) => ({ key: m.key, value: m.value }),
  },
});
