import type { Clock } from '../../src/core/client/clock';
import type { ServerClock } from '../server/serverClock';

interface Timer {
  at: number;
  order: number;
  server: boolean;
  resolve(): void;
}

/**
 * One virtual time for a client and the in-process test server, for tests of pacing against real HTTP on a machine
 * of any speed. Time stands still while work is under way and jumps to the next timer only when everything is
 * waiting on this clock: no request is in flight except those the server holds in its (virtual) latency. So an HTTP
 * exchange takes no time unless the server's latency says so, and a slow or busy machine changes nothing.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private sequence = 0;
  private timers: Timer[] = [];
  private running = false;

  /** The server's side of the same time (latency and rate-limit refill). */
  readonly server: ServerClock = {
    now: () => this.time,
    sleep: (milliseconds, signal) => this.schedule(milliseconds, signal, true),
  };

  now(): number {
    return this.time;
  }

  wallClockMs(): number {
    return Date.UTC(2026, 0, 1) + this.time;
  }

  sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
    return this.schedule(milliseconds, signal, false);
  }

  /**
   * Advances time while `inFlight()` (requests the client has sent and not yet finished, e.g. the limiter's
   * `active`) equals the requests asleep in the server's latency, until {@link stop}. Checked once per event-loop
   * turn, and only after two quiet turns in a row, so answers being read and callbacks queued run first.
   */
  drive(inFlight: () => number): void {
    if (this.running) return;
    this.running = true;
    let quietTurns = 0;
    const turn = (): void => {
      if (!this.running) return;
      const idle = this.timers.length > 0 && inFlight() === this.timers.filter((timer) => timer.server).length;
      quietTurns = idle ? quietTurns + 1 : 0;
      if (quietTurns >= 2) {
        quietTurns = 0;
        this.fireNext();
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  stop(): void {
    this.running = false;
  }

  /** Moves time to the next timer and fires every timer due then, in the order they were set. */
  private fireNext(): void {
    const at = Math.min(...this.timers.map((timer) => timer.at));
    this.time = Math.max(this.time, at);
    const due = this.timers.filter((timer) => timer.at <= this.time).sort((left, right) => left.order - right.order);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) timer.resolve();
  }

  private schedule(milliseconds: number, signal: AbortSignal | undefined, server: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.time + Math.max(0, milliseconds),
        order: this.sequence++,
        server,
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
}
