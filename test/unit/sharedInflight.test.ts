import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LeaseAttempt, LeaseStore } from '../../src/core/cache/requestLease';
import { SharedInflight } from '../../src/core/cache/sharedInflight';

/** Leases in a map, as another process would see them in Redis. */
class MapLeases implements LeaseStore {
  readonly leaseMs = 30;
  readonly holders = new Map<string, number>();
  renewals = 0;
  available = true;
  private next = 0;

  async acquire(key: string): Promise<LeaseAttempt> {
    if (!this.available) return 'unavailable';
    if (this.holders.has(key)) return 'held';
    const owner = (this.next += 1);
    this.holders.set(key, owner);
    return {
      renew: async () => {
        this.renewals += 1;
      },
      release: async () => {
        if (this.holders.get(key) === owner) this.holders.delete(key);
      },
    };
  }
}

const sleeper = {
  sleep: (milliseconds: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(resolve, milliseconds);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    }),
};

describe('SharedInflight', () => {
  test('a second caller waits for the holder and then runs (finding the stored answer); the lease is renewed meanwhile', async () => {
    const leases = new MapLeases();
    const shared = new SharedInflight(leases, sleeper, 1);
    const order: string[] = [];
    let stored: string | undefined;
    let finish!: () => void;
    const first = shared.run(
      'k',
      async () => {
        order.push('first starts');
        await new Promise<void>((resolve) => (finish = resolve));
        stored = 'answer';
        order.push('first stores');
        return 'paid';
      },
      new AbortController().signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = shared.run(
      'k',
      async () => {
        order.push('second runs');
        return stored ?? 'paid again';
      },
      new AbortController().signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 60));
    finish();
    assert.deepEqual(await Promise.all([first, second]), ['paid', 'answer']);
    assert.deepEqual(order, ['first starts', 'first stores', 'second runs']);
    assert.ok(leases.renewals >= 1, 'renewed while running');
    assert.equal(leases.holders.size, 0);
  });

  test('a failing holder releases its lease, so a waiter takes over', async () => {
    const leases = new MapLeases();
    const shared = new SharedInflight(leases, sleeper, 1);
    const failing = shared.run('k', () => Promise.reject(new Error('500')), new AbortController().signal);
    const waiting = shared.run('k', () => Promise.resolve('mine'), new AbortController().signal);
    await assert.rejects(failing, /500/);
    assert.equal(await waiting, 'mine');
  });

  test('without a lease store (Redis down) the operation runs at once', async () => {
    const leases = new MapLeases();
    leases.available = false;
    const shared = new SharedInflight(leases, sleeper, 1);
    assert.deepEqual(
      await Promise.all([
        shared.run('k', async () => 1, new AbortController().signal),
        shared.run('k', async () => 2, new AbortController().signal),
      ]),
      [1, 2],
    );
  });

  test('a waiter whose signal aborts stops waiting', async () => {
    const leases = new MapLeases();
    const shared = new SharedInflight(leases, sleeper, 1);
    let finish!: () => void;
    const holder = shared.run(
      'k',
      () => new Promise<void>((resolve) => (finish = resolve)),
      new AbortController().signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    const controller = new AbortController();
    const waiting = shared.run('k', async () => undefined, controller.signal);
    controller.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    finish();
    await holder;
  });
});
