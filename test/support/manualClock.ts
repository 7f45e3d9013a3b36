import type { Clock } from '../../src/core/client/clock';

interface Timer {
  at: number;
  order: number;
  /** Whose sleep it is (a subclass's tag, e.g. the test server's); undefined for `sleep`. */
  tag: string | undefined;
  resolve(): void;
}

/** Lets pending promise callbacks (and the microtasks they queue) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock for unit tests of the limiter and the retry loop: time moves only when the test says so, and every
 * `sleep` records how long it was asked to wait.
 */
export class ManualClock implements Clock {
  private time = 0;
  private sequence = 0;
  private timers: Timer[] = [];
  /** Every duration passed to `sleep`, in call order. */
  readonly sleeps: number[] = [];

  constructor(private readonly wallStart = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  wallClockMs(): number {
    return this.wallStart + this.time;
  }

  sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(milliseconds);
    return this.schedule(milliseconds, signal, undefined);
  }

  /** A timer `milliseconds` from now, tagged `tag`; an abort removes it and rejects with the signal's reason. */
  protected schedule(milliseconds: number, signal: AbortSignal | undefined, tag: string | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.time + Math.max(0, milliseconds),
        order: this.sequence++,
        tag,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((candidate) => candidate !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Timers waiting with this tag. */
  protected pendingTagged(tag: string): number {
    return this.timers.filter((timer) => timer.tag === tag).length;
  }

  /** Moves time to the earliest timer and fires every timer due then, in the order they were set (synchronously). */
  protected fireEarliest(): void {
    if (this.timers.length === 0) return;
    const at = Math.min(...this.timers.map((timer) => timer.at));
    this.time = Math.max(this.time, at);
    const due = this.timers.filter((timer) => timer.at <= this.time).sort((left, right) => left.order - right.order);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) timer.resolve();
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `milliseconds`, firing due timers in order and letting their callbacks run. */
  async advance(milliseconds: number): Promise<void> {
    const target = this.time + milliseconds;
    await settle();
    for (;;) {
      const next = this.timers
        .filter((timer) => timer.at <= target)
        .sort((left, right) => left.at - right.at || left.order - right.order)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.time = Math.max(this.time, next.at);
      next.resolve();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Fires the earliest timer, whatever its time; returns how far time moved. */
  async runNext(): Promise<number> {
    await settle();
    const next = [...this.timers].sort((left, right) => left.at - right.at || left.order - right.order)[0];
    if (!next) return 0;
    const moved = Math.max(0, next.at - this.time);
    await this.advance(moved);
    return moved;
  }
}
