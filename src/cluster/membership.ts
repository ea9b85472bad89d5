import { ChangeFeed, channelName, type ReadModel, type Store } from '../store/index.js';
import type pg from 'pg';
import type { Fence } from './fence.js';
import { InstancesTable } from './instances-table.js';
import type { ClusterStatus, InstanceRecord } from './model.js';
import { Propagation } from './propagation.js';

export interface MembershipOptions {
  readonly id: string;
  /** Read when the instance joins (the listener's port is known by then). */
  readonly address: () => string;
  readonly startedAt: string;
  readonly version: string;
  /** PostgreSQL: the LISTEN connection's settings and the schema (absent on SQLite: no other instance, no feed). */
  readonly postgres: { readonly config: pg.ClientConfig; readonly schema: string } | undefined;
  /** Told the other instances' addresses after each heartbeat (their tokens' issuers are this cluster's). */
  readonly onPeers?: (addresses: readonly string[]) => void;
  /** Told when the feed or the heartbeat fails or recovers, for the log. */
  readonly onWarning?: (message: string) => void;
}

/** Instances silent for an hour are forgotten (they stopped without removing their row). */
const FORGET_AFTER_MS = 3_600_000;

/**
 * This instance's part in the cluster of instances sharing one database:
 * - it hears of every committed revision at once (the change feed's NOTIFY),
 *   applies it and acknowledges it (its row's applied revision, and a NOTIFY
 *   the writer waits for);
 * - it writes a heartbeat every fifth of the lease, after reading the newest
 *   revision and applying everything before it; each such heartbeat, with the
 *   feed up, confirms the fence for another lease;
 * - its own writes return once every live instance has applied them (see
 *   Propagation), installed as the read model's propagation.
 * On SQLite there is no feed and no other instance: the heartbeat alone runs,
 * and writes wait for nobody.
 */
export class Membership {
  private readonly table: InstancesTable;
  private readonly propagation: Propagation;
  private readonly feed: ChangeFeed | undefined;
  private readonly revisionChannel: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private acking: Promise<void> | undefined;
  private ackAgain = false;
  private ticks = 0;
  /** The member ids last read from the table. */
  private known: ReadonlySet<string> = new Set();
  private failing = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly model: ReadModel,
    private readonly fence: Fence,
    private readonly options: MembershipOptions,
  ) {
    this.table = new InstancesTable(store.sideTables, store.dialect);
    const ackChannel = options.postgres === undefined ? undefined : channelName('ack', options.postgres.schema);
    this.propagation = new Propagation(this.table, options.id, fence.leaseMs);
    this.revisionChannel = store.revisionChannel;
    if (options.postgres !== undefined && this.revisionChannel !== undefined && ackChannel !== undefined) {
      const revisionChannel = this.revisionChannel;
      this.feed = new ChangeFeed(options.postgres.config, [revisionChannel, ackChannel], {
        notified: (channel, payload) => {
          if (channel === revisionChannel) this.heard(Number(payload));
          else this.heardAcknowledgement(payload);
        },
        connected: () => this.catchUpAndAck(),
        disconnected: (error) => this.warn(`lost the change feed (${error?.message ?? 'connection ended'}); reconnecting`),
      });
    }
  }

  /**
   * Joins: listens first, then registers, then catches up to the newest
   * revision, so that a write committed meanwhile is either waited for by its
   * writer (it saw this row) or applied here before the first request.
   */
  async start(): Promise<void> {
    await this.feed?.start();
    const since = performance.now();
    await this.table.register({
      id: this.options.id,
      address: this.options.address(),
      startedAt: this.options.startedAt,
      appliedRevision: this.model.revision,
      version: this.options.version,
    });
    await this.model.catchUp();
    // Said on the acknowledgement channel too, so that the other instances learn of this one (its tokens' issuer) at once.
    await this.table.acknowledge(this.options.id, this.model.revision, this.ackChannel());
    await this.peers();
    this.fence.confirm(since);
    if (this.options.postgres === undefined) {
      // SQLite lives in this instance's data folder, which one process at a time may use (runtime/lock.ts): any other
      // row was left by a process that died without removing it (SIGKILL, a crash). No write waits for it (a write
      // after such a restart would otherwise wait out its lease), and the status does not list it.
      await this.table.removeAllBut(this.options.id);
    } else {
      this.model.propagateWith((revision) => this.propagation.waitForAll(revision));
    }
    const every = Math.max(100, Math.floor(this.fence.leaseMs / 5));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  /** Leaves: stops the heartbeat and the feed, and removes the row (so that no write waits for this instance). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.model.propagateWith(undefined);
    this.propagation.stop();
    await this.beating?.catch(() => undefined);
    await this.feed?.stop();
    await this.table.remove(this.options.id).catch(() => undefined);
  }

  /** The cluster as the database records it. */
  async status(): Promise<ClusterStatus> {
    const [{ nowMs, instances }, revision] = await Promise.all([this.table.list(), this.store.revision()]);
    return {
      revision,
      leaseMs: this.fence.leaseMs,
      instances: instances.map((i) => ({
        ...i,
        live: nowMs - i.heartbeatMs < this.fence.leaseMs,
        heartbeatAgeMs: Math.max(0, nowMs - i.heartbeatMs),
        lag: Math.max(0, revision - i.appliedRevision),
        self: i.id === this.options.id,
      })),
    };
  }

  /**
   * One heartbeat at a time; a slow one makes the next wait rather than pile up. One that has not finished within
   * the lease (a connection that hangs) is given up, so that the next tick tries afresh; the fence has closed by then.
   */
  private tick(): Promise<void> {
    if (this.beating !== undefined || this.stopped) return this.beating ?? Promise.resolve();
    const beat = this.beat();
    this.beating = beat;
    const giveUp = setTimeout(() => {
      if (this.beating === beat) this.beating = undefined;
    }, this.fence.leaseMs);
    giveUp.unref();
    void beat.finally(() => {
      clearTimeout(giveUp);
      if (this.beating === beat) this.beating = undefined;
    });
    return beat;
  }

  private async beat(): Promise<void> {
    // Taken before the newest revision is read: everything committed before this moment is applied below.
    const since = performance.now();
    try {
      const newest = await this.store.revision();
      if (this.model.revision < newest) await this.model.catchUp();
      const known = await this.table.heartbeat(this.options.id, this.model.revision);
      if (!known) {
        await this.table.register({
          id: this.options.id, address: this.options.address(), startedAt: this.options.startedAt, appliedRevision: this.model.revision, version: this.options.version,
        });
      }
      await this.peers();
      if (++this.ticks % 600 === 0) await this.table.prune(FORGET_AFTER_MS);
      // Without the feed this instance would learn of revocations only at its heartbeats: it stays fenced until the feed is back.
      if (this.feed === undefined || this.feed.connected) this.fence.confirm(since);
      if (this.failing) this.warn('the database answers again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.warn(`cannot reach the database for the heartbeat (${(error as Error).message}); fencing after ${this.fence.leaseMs} ms`);
      this.failing = true;
    }
  }

  /** Reads the members: who the peers are (their issuers are accepted here), and who has left (forgotten by Propagation). */
  private async peers(): Promise<void> {
    const { instances } = await this.table.list();
    this.known = new Set(instances.map((i) => i.id));
    this.propagation.forgetAllBut(new Set(instances.map((i) => i.id)));
    this.options.onPeers?.(instances.filter((i: InstanceRecord) => i.id !== this.options.id).map((i) => i.address));
  }

  /** `{id} {revision}`: another instance has applied a revision. */
  private heardAcknowledgement(payload: string): void {
    const space = payload.indexOf(' ');
    if (space <= 0) return;
    const id = payload.slice(0, space);
    this.propagation.acknowledged(id, Number(payload.slice(space + 1)));
    // An instance that has just joined announces itself this way: learn its address now, not at the next heartbeat.
    if (!this.known.has(id)) void this.peers().catch(() => undefined);
  }

  /** A revision committed somewhere: apply it and say so. */
  private heard(revision: number): void {
    if (!Number.isFinite(revision) || revision <= this.model.revision) return;
    this.catchUpAndAck();
  }

  /** Applies what is pending and records the applied revision; calls that arrive meanwhile coalesce into one more round. */
  private catchUpAndAck(): void {
    if (this.acking !== undefined) {
      this.ackAgain = true;
      return;
    }
    this.acking = (async () => {
      do {
        this.ackAgain = false;
        await this.model.catchUp();
        await this.table.acknowledge(this.options.id, this.model.revision, this.ackChannel());
      } while (this.ackAgain && !this.stopped);
    })()
      .catch(() => undefined)
      .finally(() => (this.acking = undefined));
  }

  private ackChannel(): string | undefined {
    return this.options.postgres === undefined ? undefined : channelName('ack', this.options.postgres.schema);
  }

  private warn(message: string): void {
    this.options.onWarning?.(message);
  }
}
