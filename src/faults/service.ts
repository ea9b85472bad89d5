import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import type { EntityTable, ReadModel, Store } from '../store/index.js';
import { faultEntity } from './entities.js';
import type { Fault } from './model.js';
import type { FaultSpec } from './spec.js';

/** Adding, listing and clearing faults: one transaction each, acknowledged by every instance before it returns. */
export class FaultService {
  private readonly faults: EntityTable<Fault>;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly clock: Clock,
  ) {
    this.faults = model.table(faultEntity);
  }

  async add(spec: FaultSpec): Promise<Fault> {
    const now = this.clock.now();
    const fault: Fault = {
      id: randomBytes(4).toString('hex'),
      surface: spec.surface,
      host: spec.host,
      clientId: spec.clientId,
      deployment: spec.deployment,
      effect: spec.effect,
      times: spec.times,
      expiresAt: spec.forMs === null ? null : new Date(now + spec.forMs).toISOString(),
      createdAt: new Date(now).toISOString(),
    };
    const { revision } = await this.store.write(async (writer) => writer.put(faultEntity, fault));
    await this.model.reach(revision);
    return fault;
  }

  /** Every stored fault, oldest first (expired ones included until cleared: `expiresAt` says so). */
  list(): Fault[] {
    return [...this.faults.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Removes the given faults (all when `ids` is undefined); answers the ids removed. */
  async clear(ids?: readonly string[]): Promise<string[]> {
    const targets = ids === undefined ? [...this.faults.keys()] : ids.filter((id) => this.faults.has(id));
    if (targets.length === 0) return [];
    const { revision } = await this.store.write(async (writer) => {
      for (const id of targets) await writer.delete(faultEntity, id);
    });
    await this.model.reach(revision);
    return targets;
  }
}
