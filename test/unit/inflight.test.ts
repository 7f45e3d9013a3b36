import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Inflight } from '../../src/core/cache/inflight';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Inflight', () => {
  test('ten identical concurrent calls run the operation once', async () => {
    const inflight = new Inflight<number>();
    let runs = 0;
    const gate = deferred<number>();
    const calls = Array.from({ length: 10 }, () =>
      inflight.run('k', () => {
        runs += 1;
        return gate.promise;
      }),
    );
    gate.resolve(42);
    const results = await Promise.all(calls);
    assert.equal(runs, 1);
    assert.deepEqual(
      results.map((result) => result.value),
      Array(10).fill(42),
    );
    assert.deepEqual(
      results.map((result) => result.joined),
      [false, ...Array(9).fill(true)],
    );
    assert.equal(inflight.size, 0);
  });

  test('different keys run separately', async () => {
    const inflight = new Inflight<string>();
    const results = await Promise.all([inflight.run('a', async () => 'A'), inflight.run('b', async () => 'B')]);
    assert.deepEqual(
      results.map((result) => result.value),
      ['A', 'B'],
    );
  });

  test('one participant cancelling does not cancel the others', async () => {
    const inflight = new Inflight<number>();
    const gate = deferred<number>();
    let operationSignal: AbortSignal | undefined;
    const controller = new AbortController();
    const leaving = inflight.run(
      'k',
      (signal) => {
        operationSignal = signal;
        return gate.promise;
      },
      controller.signal,
    );
    const staying = inflight.run('k', () => Promise.resolve(0));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('left'));
    await assert.rejects(leaving, /left/);
    assert.equal(operationSignal?.aborted, false);
    gate.resolve(7);
    assert.equal((await staying).value, 7);
  });

  test('when every participant cancels, the operation is aborted', async () => {
    const inflight = new Inflight<number>();
    let operationSignal: AbortSignal | undefined;
    const first = new AbortController();
    const second = new AbortController();
    const never = new Promise<number>(() => undefined);
    const calls = [
      inflight.run(
        'k',
        (signal) => {
          operationSignal = signal;
          return never;
        },
        first.signal,
      ),
      inflight.run('k', () => never, second.signal),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    first.abort(new Error('one'));
    assert.equal(operationSignal?.aborted, false);
    second.abort(new Error('two'));
    assert.equal(operationSignal?.aborted, true);
    await Promise.allSettled(calls);
    assert.equal(inflight.size, 0);
  });

  test('an error is shared by those present but never remembered', async () => {
    const inflight = new Inflight<number>();
    const gate = deferred<number>();
    const calls = [inflight.run('k', () => gate.promise), inflight.run('k', () => gate.promise)];
    gate.reject(new Error('boom'));
    for (const call of calls) await assert.rejects(call, /boom/);
    const again = await inflight.run('k', async () => 1);
    assert.deepEqual(again, { value: 1, joined: false });
  });
});
