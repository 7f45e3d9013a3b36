import { setTimeout as delay } from 'node:timers/promises';

/**
 * The time the server's rate limiter and latency run on. Real time by default; a test can share one virtual clock
 * between the server and the client under test, so pacing is checked against the same time on both sides and a
 * busy machine cannot make the client and the server disagree about how much time has passed.
 */
export interface ServerClock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves after `milliseconds`; rejects when `signal` aborts. */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
}

export const systemServerClock: ServerClock = {
  now: () => performance.now(),
  sleep: async (milliseconds, signal) => {
    await delay(milliseconds, undefined, { signal });
  },
};
