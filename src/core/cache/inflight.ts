import type { SharedInflight } from './sharedInflight';

interface Shared<T> {
  promise: Promise<T>;
  controller: AbortController;
  participants: number;
}

/** The outcome of {@link Inflight.run}: the value and whether this caller joined someone else's call. */
export interface InflightResult<T> {
  value: T;
  joined: boolean;
}

/**
 * Makes identical requests in flight share one operation (one HTTP call, one bill).
 *
 * The first caller starts `operation`; later callers with the same key join it. Each caller can cancel with its
 * own signal and is released at once; the shared operation is aborted only when every participant has left.
 * The entry is removed when the operation settles, so errors are shared by the callers present but never
 * remembered.
 *
 * With a {@link SharedInflight} (Redis leases or disk locks), the one operation of this process also waits for
 * the same request in flight in other processes (unless the call opts out, e.g. a fresh call).
 */
export class Inflight<T> {
  private readonly running = new Map<string, Shared<T>>();

  constructor(private readonly acrossProcesses?: SharedInflight) {}

  /** Keys with an operation in flight, for tests and diagnostics. */
  get size(): number {
    return this.running.size;
  }

  run(
    key: string,
    operation: (signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
    options: { acrossProcesses?: boolean } = {},
  ): Promise<InflightResult<T>> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let shared = this.running.get(key);
    const joined = shared !== undefined;
    if (!shared) {
      const controller = new AbortController();
      const across = options.acrossProcesses === false ? undefined : this.acrossProcesses;
      const promise = Promise.resolve().then(() =>
        across ? across.run(key, () => operation(controller.signal), controller.signal) : operation(controller.signal),
      );
      const created: Shared<T> = { controller, participants: 0, promise };
      created.promise
        .finally(() => {
          if (this.running.get(key) === created) this.running.delete(key);
        })
        .catch(() => undefined);
      this.running.set(key, created);
      shared = created;
    }
    const current = shared;
    current.participants += 1;
    return new Promise<InflightResult<T>>((resolve, reject) => {
      let left = false;
      const leave = (): void => {
        if (left) return;
        left = true;
        signal?.removeEventListener('abort', onAbort);
        current.participants -= 1;
      };
      const onAbort = (): void => {
        leave();
        if (current.participants === 0) {
          current.controller.abort(signal?.reason);
          if (this.running.get(key) === current) this.running.delete(key);
        }
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          leave();
          resolve({ value, joined });
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}
