/** Anything a run holds that must be closed once (a client with its memory cache and Redis connection). */
export interface Closeable {
  close(): Promise<void>;
}

/** One holder's claim on a value; `release` is idempotent. */
export interface Lease<T> {
  readonly value: T;
  release(): void;
}

interface Generation<T> {
  readonly value: T;
  holders: number;
  /** Replaced by a newer one: closed as soon as nobody holds it. */
  stale: boolean;
  closed: boolean;
}

/**
 * Lends one value (the API client) to every run that asks, and replaces it without pulling it from under a run:
 * {@link renew} (settings or key changed) makes the *next* lease get a freshly created value, and a replaced value
 * is closed only when its last lease is released. Invariant: a value is closed at most once, and never while a
 * lease on it is held.
 */
export class ClientLeases<T extends Closeable> {
  private current: Promise<Generation<T> | undefined> | undefined;
  private latest: T | undefined;
  /** Built and not yet closed. */
  private readonly live = new Set<Generation<T>>();
  private disposed = false;

  /**
   * @param create builds a value, or undefined when one cannot be built now (no API key); undefined is not kept,
   *   so the next lease tries again.
   * @param onCloseError told when closing a replaced value fails (closing never throws to a holder).
   */
  constructor(
    private readonly create: () => Promise<T | undefined>,
    private readonly onCloseError: (error: unknown) => void = () => undefined,
  ) {}

  /** A lease on the current value (built on first use), or undefined when none can be built. */
  async lease(): Promise<Lease<T> | undefined> {
    for (;;) {
      const generation = await this.generation();
      if (!generation) return undefined;
      // A renew between the build and this line may already have closed it: take the newer one.
      if (generation.closed) continue;
      generation.holders += 1;
      let released = false;
      return {
        value: generation.value,
        release: () => {
          if (released) return;
          released = true;
          generation.holders -= 1;
          this.closeIfIdle(generation);
        },
      };
    }
  }

  /**
   * The current value without a lease, for callers not yet holding leases: it stays open until the next
   * {@link renew} and no longer than that.
   */
  async peek(): Promise<T | undefined> {
    return (await this.generation())?.value;
  }

  /** The value most recently built, if any (synchronous; may be a replaced one still held by a run). */
  get last(): T | undefined {
    return this.latest;
  }

  /** Held leases on all values, current and replaced (for tests and diagnostics). */
  get holders(): number {
    let count = 0;
    for (const generation of this.live) count += generation.holders;
    return count;
  }

  /** The next lease gets a new value; the current one is closed when its last lease is released (now, if none). */
  renew(): void {
    const previous = this.current;
    this.current = undefined;
    if (!previous) return;
    void previous.then(
      (generation) => {
        if (!generation) return;
        generation.stale = true;
        this.closeIfIdle(generation);
      },
      () => undefined,
    );
  }

  /** No more values are built; the current one is closed when idle, like on {@link renew}. */
  dispose(): void {
    this.disposed = true;
    this.renew();
  }

  private generation(): Promise<Generation<T> | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    if (this.current) return this.current;
    const pending = this.create().then((value): Generation<T> | undefined => {
      if (value === undefined) return undefined;
      this.latest = value;
      const generation: Generation<T> = { value, holders: 0, stale: false, closed: false };
      this.live.add(generation);
      return generation;
    });
    this.current = pending;
    const forget = (): void => {
      if (this.current === pending) this.current = undefined;
    };
    pending.then((generation) => (generation ? undefined : forget()), forget);
    return pending;
  }

  private closeIfIdle(generation: Generation<T>): void {
    if (!generation.stale || generation.holders > 0 || generation.closed) return;
    generation.closed = true;
    this.live.delete(generation);
    if (this.latest === generation.value) this.latest = undefined;
    generation.value.close().catch(this.onCloseError);
  }
}
