import type { Clock } from '../shared/clock.js';
import type { EntityTable, ReadModel, Store } from '../store/index.js';
import { resourceEntity, type Resource } from '../resources/index.js';
import { providerNamespace } from './catalog.js';
import { providerRegistrationEntity } from './entities.js';
import { providerErrors } from './errors.js';
import type { ProviderNamespace, ProviderRegistration, RegistrationState } from './model.js';

/**
 * Which provider namespaces the subscription is registered for, durable and
 * shared by every instance on the database. Every namespace Keyless serves
 * starts registered (a new Azure subscription has most of them registered
 * for it as soon as it is used); `unregister` makes creates of its types fail
 * with Azure's MissingSubscriptionRegistration until `register`. Both complete
 * at once. Registration-free namespaces are always registered.
 */
export class ProviderRegistrations {
  private readonly registrations: EntityTable<ProviderRegistration>;
  private readonly resources: EntityTable<Resource>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
    private readonly subscriptionId: () => string,
  ) {
    this.registrations = model.table(providerRegistrationEntity);
    this.resources = model.table(resourceEntity);
  }

  /** The namespace Keyless serves under that name (any case), or InvalidResourceNamespace. */
  namespace(name: string): ProviderNamespace {
    const provider = providerNamespace(name);
    if (!provider) throw providerErrors.invalidNamespace(name);
    return provider;
  }

  stateOf(provider: ProviderNamespace): RegistrationState {
    if (provider.policy === 'RegistrationFree') return 'Registered';
    return this.registrations.get(this.keyOf(provider))?.state ?? 'Registered';
  }

  async register(provider: ProviderNamespace): Promise<RegistrationState> {
    if (provider.policy === 'RegistrationFree') return 'Registered';
    await this.set(provider, 'Registered');
    return 'Registered';
  }

  /** Refused while resources of the namespace's types remain, as in Azure. */
  async unregister(provider: ProviderNamespace): Promise<RegistrationState> {
    if (provider.policy === 'RegistrationFree') return 'Registered';
    const prefix = `${provider.namespace.toLowerCase()}/`;
    const remaining = [...this.resources.values()].filter((r) => r.type.toLowerCase().startsWith(prefix)).length;
    if (remaining > 0) throw providerErrors.unregisterWithResources(provider.namespace, remaining);
    await this.set(provider, 'NotRegistered');
    return 'NotRegistered';
  }

  /** Before a create or update of `type` (Namespace/type…): MissingSubscriptionRegistration when its namespace is unregistered. */
  requireRegistered(type: string): void {
    const provider = providerNamespace(type.slice(0, type.indexOf('/') < 0 ? type.length : type.indexOf('/')));
    if (provider && this.stateOf(provider) !== 'Registered') throw providerErrors.missingRegistration(provider.namespace);
  }

  private keyOf(provider: ProviderNamespace): string {
    return `${this.subscriptionId()}/${provider.namespace}`.toLowerCase();
  }

  private async set(provider: ProviderNamespace, state: RegistrationState): Promise<void> {
    const key = this.keyOf(provider);
    if (this.registrations.get(key)?.state === state || (state === 'Registered' && !this.registrations.has(key))) return;
    const registration: ProviderRegistration = {
      key, subscriptionId: this.subscriptionId(), namespace: provider.namespace, state, changedAt: new Date(this.clock.now()).toISOString(),
    };
    const { revision } = await this.store.write(async (writer) => writer.put(providerRegistrationEntity, registration));
    await this.model.reach(revision);
  }
}
