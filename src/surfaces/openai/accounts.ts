import type { Resource } from '../../resources/index.js';
import { RESOURCE_TYPES } from '../../resources/index.js';
import type { EntityTable, ReadModel } from '../../store/index.js';
import { resourceEntity } from '../../resources/index.js';
import { accountSubdomain } from '../arm/index.js';

/** Accounts by the path segment of their endpoint (`/accounts/{subdomain}/`), kept current from the read model. */
export class AccountIndex {
  private bySubdomain = new Map<string, Resource>();
  private readonly resources: EntityTable<Resource>;

  /** `notReady`: whether a deployment is still being created (a long-running create): it is not served until then, as in Azure. */
  constructor(
    model: ReadModel,
    private readonly notReady: (deploymentKey: string) => boolean = () => false,
  ) {
    this.resources = model.table(resourceEntity);
    this.rebuild();
    model.on(resourceEntity, (change) => {
      const resource = change.value;
      // Deletions carry no type: rebuild then too (accounts are few; this is not the hot path).
      if (resource === undefined || resource.type === RESOURCE_TYPES.account) this.rebuild();
    });
  }

  get(subdomain: string): Resource | undefined {
    return this.bySubdomain.get(subdomain.toLowerCase());
  }

  deployment(account: Resource, name: string): Resource | undefined {
    const deployment = this.resources.get(`${account.key}/deployments/${name.toLowerCase()}`);
    return deployment && this.notReady(deployment.key) ? undefined : deployment;
  }

  /** An account's deployments, in name order (the data-plane listing; not on the hot path). */
  deployments(account: Resource): Resource[] {
    const found: Resource[] = [];
    for (const resource of this.resources.values()) if (resource.parentKey === account.key && !this.notReady(resource.key)) found.push(resource);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  private rebuild(): void {
    const next = new Map<string, Resource>();
    for (const resource of this.resources.values()) {
      if (resource.type === RESOURCE_TYPES.account) next.set(accountSubdomain(resource), resource);
    }
    this.bySubdomain = next;
  }
}
