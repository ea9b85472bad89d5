/** Injectable time source, so that expiry can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/** What `keyless clock show` reports. */
export interface ClockState {
  /** The time every surface reads, in epoch milliseconds. */
  readonly now: number;
  /** How far it is from the base clock (the system's), in milliseconds. */
  readonly offsetMs: number;
  /** Whether it stands still (`clock set --freeze`) until advanced or resumed. */
  readonly frozen: boolean;
}

/**
 * The product's time when `keyless up --clock controllable`: the base clock
 * plus an offset, or frozen at an instant. Only what a client or an auditor
 * sees of time reads it (token times, expiry judgements, windows, key ages,
 * audit stamps); the process's own timing (timeouts, leases, heartbeats,
 * fencing) stays on `performance.now()` and real timers.
 */
export class ControllableClock implements Clock {
  private offset = 0;
  private frozenAt: number | undefined;
  private readonly moved: (() => void)[] = [];

  constructor(private readonly base: Clock = systemClock) {}

  /** Called after every move: caches keyed on time (issued tokens, verified tokens) must not outlive a jump back. */
  onMove(listener: () => void): void {
    this.moved.push(listener);
  }

  now(): number {
    return this.frozenAt ?? this.base.now() + this.offset;
  }

  /** Moves the time forward by `ms` (frozen or flowing). */
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    this.notify();
  }

  /** The time reads `at` from now on: flowing from there, or standing at it if `freeze`. */
  set(at: number, freeze: boolean): void {
    this.offset = at - this.base.now();
    this.frozenAt = freeze ? at : undefined;
    this.notify();
  }

  /** Back to the base clock: no offset, flowing. */
  resume(): void {
    this.offset = 0;
    this.frozenAt = undefined;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.moved) listener();
  }

  state(): ClockState {
    const now = this.now();
    return { now, offsetMs: now - this.base.now(), frozen: this.frozenAt !== undefined };
  }
}
