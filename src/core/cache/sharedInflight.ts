import type { LeaseStore } from './requestLease';

/** The clock part this needs (the client's injected clock fits). */
interface Sleeper {
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Shares identical requests in flight across processes (the in-process part is `Inflight`): before a call, its
 * process takes a lease on the request key; the others wait, asking again every `pollMs`, and run the operation
 * only once they hold the lease themselves. The operation starts with a cache lookup, so a waiter that gets the
 * lease after the owner stored its answer finds it there and pays nothing; after an owner that failed or died
 * (lease released or expired), exactly one waiter takes over.
 *
 * The owner renews its lease every third of its length while the call runs. When the store is unavailable
 * (Redis down, lock directory unwritable) the operation runs at once: duplicates are possible, failures are not.
 */
export class SharedInflight {
  constructor(
    private readonly store: LeaseStore,
    private readonly clock: Sleeper,
    private readonly pollMs = 50,
  ) {}

  /** Runs `operation` under the lease of `key`, after waiting for another holder to finish. */
  async run<T>(key: string, operation: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (;;) {
      const attempt = await this.store.acquire(key);
      if (attempt === 'unavailable') return operation();
      if (attempt !== 'held') {
        const renewing = new AbortController();
        void this.renewWhileRunning(attempt.renew, renewing.signal);
        try {
          return await operation();
        } finally {
          renewing.abort();
          await attempt.release();
        }
      }
      await this.clock.sleep(this.pollMs, signal);
    }
  }

  private async renewWhileRunning(renew: () => Promise<void>, stop: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.clock.sleep(this.store.leaseMs / 3, stop);
      } catch {
        return;
      }
      await renew();
    }
  }
}
