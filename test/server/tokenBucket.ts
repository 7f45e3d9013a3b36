/**
 * A continuous token bucket for one per-minute limit. It holds `limit × burstSeconds / 60` units (at least 1) and
 * refills at `limit / 60` per second. A request heavier than the whole capacity is admitted when the bucket is
 * full and leaves it in debt (negative level), so every request up to the per-minute limit can eventually run
 * while ordinary traffic still sees only about `burstSeconds` of burst.
 */
export class TokenBucket {
  /** Units the bucket holds when full. */
  readonly capacity: number;
  private level: number;
  private updatedAt: number;

  /**
   * @param limit units per minute (requests or tokens)
   * @param burstSeconds seconds of the per-minute rate the bucket holds
   * @param now clock in milliseconds, injected for tests
   */
  constructor(
    readonly limit: number,
    burstSeconds: number,
    private readonly now: () => number,
  ) {
    this.capacity = Math.max(1, (limit * burstSeconds) / 60);
    this.level = this.capacity;
    this.updatedAt = now();
  }

  /** Units refilled per millisecond. */
  get ratePerMillisecond(): number {
    return this.limit / 60_000;
  }

  /** True when `amount` could be taken now (a full bucket admits anything up to the per-minute limit). */
  hasRoom(amount: number): boolean {
    return this.currentLevel() >= Math.min(amount, this.capacity);
  }

  /** Takes `amount`; call only after `hasRoom`. */
  take(amount: number): void {
    this.level = this.currentLevel() - amount;
  }

  /** Milliseconds until `hasRoom(amount)` becomes true. */
  millisecondsUntilRoom(amount: number): number {
    const missing = Math.min(amount, this.capacity) - this.currentLevel();
    return missing <= 0 ? 0 : missing / this.ratePerMillisecond;
  }

  /** The level scaled to the per-minute limit: a full bucket reports `limit`, an empty or indebted one 0. */
  remaining(): number {
    return Math.floor((Math.max(0, this.currentLevel()) / this.capacity) * this.limit);
  }

  /** Milliseconds until the bucket is full again. */
  millisecondsUntilFull(): number {
    return (this.capacity - this.currentLevel()) / this.ratePerMillisecond;
  }

  private currentLevel(): number {
    const now = this.now();
    this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.ratePerMillisecond);
    this.updatedAt = now;
    return this.level;
  }
}
