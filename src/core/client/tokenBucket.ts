/**
 * A continuous token bucket for one per-minute limit: it refills at `perMinute / 60 000` units per millisecond
 * and holds at most `capacity` units (the burst). OpenAI documents per-minute limits but also enforces them over
 * shorter windows, so the burst is usually well below the per-minute number; the limiter learns it from headers.
 *
 * Units are whatever the owner counts: requests (weight 1) or tokens. A request heavier than the whole burst is
 * admitted when the bucket is full and leaves it in debt (a negative level), the way OpenAI admits any request up
 * to the per-minute limit. Time is always passed in, never read, so the bucket is pure arithmetic.
 */
export class TokenBucket {
  private currentPerMinute: number;
  private currentCapacity: number;
  private currentLevel: number;
  private updatedAt: number;

  /**
   * @param perMinute refill per minute (the RPM or TPM limit), > 0
   * @param capacity the most the bucket holds (burst), > 0; starts full
   * @param now monotonic milliseconds
   */
  constructor(perMinute: number, capacity: number, now: number) {
    if (!(perMinute > 0) || !(capacity > 0)) {
      throw new RangeError(`bucket limit and capacity must be positive, got ${perMinute} and ${capacity}`);
    }
    this.currentPerMinute = perMinute;
    this.currentCapacity = capacity;
    this.currentLevel = capacity;
    this.updatedAt = now;
  }

  /** The per-minute limit. */
  get perMinute(): number {
    return this.currentPerMinute;
  }

  /** The burst: units held when full. */
  get capacity(): number {
    return this.currentCapacity;
  }

  /** Units refilled per millisecond. */
  get ratePerMs(): number {
    return this.currentPerMinute / 60_000;
  }

  /** Units available at `now` (after refill); negative while in debt. */
  level(now: number): number {
    this.refill(now);
    return this.currentLevel;
  }

  /**
   * Milliseconds until `weight` can be taken with `headroom` units to spare (a full bucket admits any weight):
   * 0 when it can be now.
   */
  timeUntil(weight: number, now: number, headroom = 0): number {
    const missing = Math.min(weight + headroom, this.currentCapacity) - this.level(now);
    return missing <= 0 ? 0 : missing / this.ratePerMs;
  }

  /** Removes `weight` units; callers check {@link timeUntil} first. */
  take(weight: number, now: number): void {
    this.refill(now);
    this.currentLevel -= weight;
  }

  /** Moves the level by `delta` (a refund or a correction), kept within [-perMinute, capacity]. */
  adjust(delta: number, now: number): void {
    this.refill(now);
    this.currentLevel = Math.max(-this.currentPerMinute, Math.min(this.currentCapacity, this.currentLevel + delta));
  }

  /** Adopts a new per-minute limit; the burst scales with it (same number of seconds' worth). */
  setPerMinute(perMinute: number, now: number): void {
    if (!(perMinute > 0) || perMinute === this.currentPerMinute) return;
    this.refill(now);
    this.currentCapacity *= perMinute / this.currentPerMinute;
    this.currentPerMinute = perMinute;
    this.currentLevel = Math.min(this.currentLevel, this.currentCapacity);
  }

  /** Adopts a new burst capacity; the level is kept, clamped to it. */
  setCapacity(capacity: number, now: number): void {
    if (!(capacity > 0) || capacity === this.currentCapacity) return;
    this.refill(now);
    this.currentCapacity = capacity;
    this.currentLevel = Math.min(this.currentLevel, capacity);
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.currentLevel = Math.min(this.currentCapacity, this.currentLevel + elapsed * this.ratePerMs);
      this.updatedAt = now;
    }
  }
}
