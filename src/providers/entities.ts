import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { ProviderRegistration, RegistrationState } from './model.js';

type RegistrationRow = { key: string; subscription_id: string; namespace: string; state: string; changed_at: string };

/** A subscription's registration of a provider namespace, stored once its state was changed from the default. */
export const providerRegistrationEntity = defineEntity({
  name: 'providerRegistration',
  table: 'provider_registrations',
  key: ['key'],
  codec: {
    from: (r: RegistrationRow): ProviderRegistration => ({
      key: r.key, subscriptionId: r.subscription_id, namespace: r.namespace, state: r.state as RegistrationState, changedAt: r.changed_at,
    }),
    to: (p: ProviderRegistration): RegistrationRow => ({
      key: p.key, subscription_id: p.subscriptionId, namespace: p.namespace, state: p.state, changed_at: p.changedAt,
    }),
  },
  migrations: {
    '0012_provider_registrations': () => [
      sql`create table provider_registrations (key text primary key, subscription_id text not null, namespace text not null,
            state text not null, changed_at text not null)`,
    ],
  },
});
