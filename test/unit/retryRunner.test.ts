import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PromptMeterError } from '../../src/core/client/errors';
import type { FailureReason } from '../../src/core/client/errors';
import { RetryPolicy } from '../../src/core/client/retryPolicy';
import { runWithRetries } from '../../src/core/client/retryRunner';
import { ManualClock, settle } from '../support/manualClock';

const failure = (reason: FailureReason, retryAfterMs?: number) =>
  new PromptMeterError({ reason, message: reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

/** Runs the loop on a manual clock, firing each backoff timer as soon as it is set. */
async function drive<T>(promise: Promise<T>, clock: ManualClock): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  while (!settled) {
    await settle();
    if (clock.pending > 0) await clock.runNext();
  }
  return watched;
}

describe('runWithRetries', () => {
  test('retries transient failures with the policy backoff, then succeeds', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ random: () => 0, baseDelayMs: 100 });
    const outcomes = [failure('server'), failure('connection'), failure('malformedResponse')];
    let attempts = 0;
    const retried: number[] = [];
    const value = await drive(
      runWithRetries(
        async () => {
          attempts += 1;
          const next = outcomes.shift();
          if (next) throw next;
          return 'ok';
        },
        { policy, clock, onRetry: (_error, retryNumber) => retried.push(retryNumber) },
      ),
      clock,
    );
    assert.equal(value, 'ok');
    assert.equal(attempts, 4);
    assert.deepEqual(retried, [1, 2, 3]);
    assert.deepEqual(clock.sleeps, [50, 100, 200]);
  });

  test('waits the server retry-after before retrying a 429', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ random: () => 0 });
    let attempts = 0;
    await drive(
      runWithRetries(
        async () => {
          attempts += 1;
          if (attempts === 1) throw failure('rateLimited', 2_500);
          return 'ok';
        },
        { policy, clock },
      ),
      clock,
    );
    assert.deepEqual(clock.sleeps, [2_500]);
    assert.equal(clock.now(), 2_500);
  });

  for (const reason of [
    'badRequest',
    'authentication',
    'notFound',
    'insufficientQuota',
    'requestTooLarge',
    'cancelled',
  ] as const) {
    test(`does not retry ${reason}`, async () => {
      const clock = new ManualClock();
      let attempts = 0;
      await assert.rejects(
        drive(
          runWithRetries(
            async () => {
              attempts += 1;
              throw failure(reason);
            },
            { policy: new RetryPolicy({ random: () => 0 }), clock },
          ),
          clock,
        ),
        (error: unknown) => error instanceof PromptMeterError && error.reason === reason,
      );
      assert.equal(attempts, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  test('gives up after `retries` retries with the last error', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    await assert.rejects(
      drive(
        runWithRetries(
          async () => {
            attempts += 1;
            throw failure('server');
          },
          { policy: new RetryPolicy({ random: () => 0, retries: 3 }), clock },
        ),
        clock,
      ),
      (error: unknown) => error instanceof PromptMeterError && error.reason === 'server',
    );
    assert.equal(attempts, 4);
  });

  test('cancelling during the backoff sleep stops at once', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let attempts = 0;
    const running = runWithRetries(
      async () => {
        attempts += 1;
        throw failure('server');
      },
      { policy: new RetryPolicy({ random: () => 0 }), clock, signal: controller.signal },
    );
    await settle();
    assert.equal(clock.pending, 1);
    controller.abort(new Error('user cancelled'));
    await assert.rejects(running, /user cancelled/);
    assert.equal(attempts, 1);
  });
});
