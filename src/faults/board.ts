import type { Clock } from '../shared/clock.js';
import type { ReadModel } from '../store/index.js';
import { faultEntity } from './entities.js';
import type { Fault, FaultSurface } from './model.js';

interface Armed {
  readonly fault: Fault;
  /** `expiresAt` parsed once. */
  readonly expiresMs: number;
}

/**
 * The faults in force, by surface, for the hot paths: rebuilt from the read
 * model when a fault changes, never read from SQL. A surface with no fault
 * costs one boolean test. `--times` is counted here, by each instance for
 * itself; the answer that spends a fault asks for its removal (`onSpent`),
 * which reaches every instance through the change log.
 */
export class FaultBoard {
  private armed = false;
  private bySurface = new Map<FaultSurface, Armed[]>();
  private readonly used = new Map<string, number>();

  constructor(
    model: ReadModel,
    private readonly clock: Clock,
    private readonly onSpent: (id: string) => void,
  ) {
    const table = model.table(faultEntity);
    const rebuild = (): void => {
      const next = new Map<FaultSurface, Armed[]>();
      for (const fault of table.values()) {
        const list = next.get(fault.surface) ?? [];
        list.push({ fault, expiresMs: fault.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(fault.expiresAt) });
        next.set(fault.surface, list);
      }
      // Oldest first: when several match, the first added answers.
      for (const list of next.values()) list.sort((a, b) => a.fault.createdAt.localeCompare(b.fault.createdAt) || a.fault.id.localeCompare(b.fault.id));
      for (const id of this.used.keys()) if (!table.has(id)) this.used.delete(id);
      this.bySurface = next;
      this.armed = next.size > 0;
    };
    model.on(faultEntity, rebuild);
    rebuild();
  }

  /**
   * The fault this call gets, counted as used; undefined (at once, when none
   * is armed) for a normal answer. Positional, so that the hot path allocates nothing.
   */
  take(surface: FaultSurface, host: string | undefined, clientId: string | undefined, deployment: string | undefined): Fault | undefined {
    if (!this.armed) return undefined;
    const list = this.bySurface.get(surface);
    if (list === undefined) return undefined;
    const now = this.clock.now();
    for (const { fault, expiresMs } of list) {
      if (now >= expiresMs) continue;
      if (fault.host !== null && fault.host !== host?.toLowerCase()) continue;
      if (fault.clientId !== null && fault.clientId !== clientId?.toLowerCase()) continue;
      if (fault.deployment !== null && fault.deployment !== deployment) continue;
      if (fault.times !== null) {
        const count = (this.used.get(fault.id) ?? 0) + 1;
        if (count > fault.times) continue;
        this.used.set(fault.id, count);
        if (count === fault.times) this.onSpent(fault.id);
      }
      return fault;
    }
    return undefined;
  }
}
