/**
 * Time as the limiter and the retry policy see it. Injected so unit tests run on a manual clock, instantly
 * and deterministically; production code uses {@link createSystemClock}.
 */
export interface Clock {
  /** Monotonic milliseconds; only differences matter. */
  now(): number;
  /** Epoch milliseconds, for HTTP-date `retry-after` headers and ledger timestamps. */
  wallClockMs(): number;
  /**
   * Resolves after `milliseconds`; rejects with `signal.reason` as soon as `signal` aborts.
   * Invariant: never resolves early.
   */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()`, `Date.now()` and an abortable, unref'd `setTimeout`. */
export function createSystemClock(): Clock {
  return {
    now: () => performance.now(),
    wallClockMs: () => Date.now(),
    sleep: (milliseconds, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.max(0, milliseconds),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}
