/**
 * A bounded FIFO ring buffer. `push` is O(1) (amortised: the buffer doubles
 * up to the cap); when full, the oldest item is overwritten and counted.
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private lost = 0;

  constructor(
    readonly capacity: number,
    initialSize = 1024,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(Math.min(capacity, Math.max(1, initialSize)));
  }

  get size(): number {
    return this.count;
  }

  /** Items discarded because the queue was full. */
  get dropped(): number {
    return this.lost;
  }

  push(item: T): void {
    if (this.count === this.capacity) {
      // Full (and at full size): overwrite the oldest.
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.items.length;
      this.lost++;
      return;
    }
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  /** Removes and returns up to `n` of the oldest items, oldest first. */
  take(n: number): T[] {
    const k = Math.max(0, Math.min(n, this.count));
    const out = new Array<T>(k);
    const length = this.items.length;
    for (let i = 0; i < k; i++) {
      const at = (this.head + i) % length;
      out[i] = this.items[at] as T;
      this.items[at] = undefined;
    }
    this.head = (this.head + k) % length;
    this.count -= k;
    return out;
  }

  /** Puts taken items back in front (they are older than anything queued); what does not fit is dropped, oldest first. */
  restore(batch: readonly T[]): void {
    const keep = Math.min(batch.length, this.capacity - this.count);
    const skip = batch.length - keep;
    this.lost += skip;
    while (this.count + keep > this.items.length) this.grow();
    const length = this.items.length;
    for (let i = batch.length - 1; i >= skip; i--) {
      this.head = (this.head - 1 + length) % length;
      this.items[this.head] = batch[i];
      this.count++;
    }
  }

  private grow(): void {
    const length = this.items.length;
    const next = new Array<T | undefined>(Math.min(this.capacity, length * 2));
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % length];
    this.items = next;
    this.head = 0;
  }
}
