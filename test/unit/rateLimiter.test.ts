import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RequestTooLargeError } from '../../src/core/client/errors';
import { RateLimiter } from '../../src/core/client/rateLimiter';
import type { RateLimitPermit } from '../../src/core/client/rateLimiter';
import { ManualClock, settle } from '../support/manualClock';

/** Acquires and records when (on the manual clock) each permit was granted. */
function track(
  limiter: RateLimiter,
  clock: ManualClock,
  weight: number,
  granted: Array<[string, number]>,
  name: string,
  signal?: AbortSignal,
) {
  return limiter.acquire(weight, signal).then((permit) => {
    granted.push([name, clock.now()]);
    return permit;
  });
}

describe('RateLimiter', () => {
  test('paces requests at the RPM rate after the burst', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 60, tokensPerMinute: 1e9, concurrency: 100, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    const permits = ['a', 'b', 'c'].map((name) => track(limiter, clock, 1, granted, name));
    await clock.advance(5_000);
    await Promise.all(permits);
    assert.deepEqual(granted, [
      ['a', 0],
      ['b', 1_000],
      ['c', 2_000],
    ]);
  });

  test('paces by token weight: the TPM bucket refills at tpm / 60 000 per ms', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 100, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    void track(limiter, clock, 1_000, granted, 'first');
    void track(limiter, clock, 500, granted, 'second');
    void track(limiter, clock, 250, granted, 'third');
    await clock.advance(2_000);
    assert.deepEqual(granted, [
      ['first', 0],
      ['second', 500],
      ['third', 750],
    ]);
  });

  test('is strictly FIFO: a light request does not overtake a heavy one waiting', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 100, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    void track(limiter, clock, 900, granted, 'first');
    void track(limiter, clock, 1_000, granted, 'heavy');
    void track(limiter, clock, 10, granted, 'light');
    await clock.advance(1_000);
    assert.deepEqual(
      granted.map(([name]) => name),
      ['first', 'heavy', 'light'],
    );
    assert.equal(granted[1]?.[1], 900);
    assert.equal(granted[2]?.[1], 910);
  });

  test('never has more than `concurrency` permits out; completing one admits the next', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 1e9, concurrency: 2, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    const first = track(limiter, clock, 1, granted, '1');
    void track(limiter, clock, 1, granted, '2');
    void track(limiter, clock, 1, granted, '3');
    await settle();
    assert.equal(granted.length, 2);
    assert.equal(limiter.state().active, 2);
    assert.equal(limiter.state().queued, 1);
    (await first).complete();
    await settle();
    assert.equal(granted.length, 3);
    assert.equal(limiter.state().active, 2);
  });

  test('keeps headroomMs of refill in reserve: the burst shrinks, the steady rate does not', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 1e9, concurrency: 100, burstSeconds: 1, headroomMs: 100 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    for (let index = 0; index < 13; index += 1) void track(limiter, clock, 1, granted, String(index));
    await clock.advance(0);
    assert.equal(granted.length, 9, '10 in the bucket, 1 (100 ms of refill) kept back');
    await clock.advance(400);
    assert.deepEqual(
      granted.slice(9).map(([, time]) => time),
      [100, 200, 300, 400],
    );
  });

  test('pauseFor stops everyone, even with full buckets', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 6_000, tokensPerMinute: 1e9, concurrency: 10, headroomMs: 0 },
      clock,
    );
    limiter.pauseFor(5_000);
    const granted: Array<[string, number]> = [];
    void track(limiter, clock, 1, granted, 'a');
    void track(limiter, clock, 1, granted, 'b');
    await clock.advance(4_999);
    assert.equal(granted.length, 0);
    await clock.advance(1);
    assert.deepEqual(granted, [
      ['a', 5_000],
      ['b', 5_000],
    ]);
  });

  test('a pause that arrives while a waiter sleeps for the bucket extends its wait', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 60, tokensPerMinute: 1e9, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    void track(limiter, clock, 1, granted, 'a');
    void track(limiter, clock, 1, granted, 'b');
    await clock.advance(100);
    limiter.pauseFor(3_000);
    await clock.advance(2_000);
    assert.deepEqual(granted, [['a', 0]]);
    await clock.advance(1_000);
    assert.deepEqual(granted, [
      ['a', 0],
      ['b', 3_100],
    ]);
  });

  test('refunds reserved-but-unused tokens while the server reports no token headers', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const permit = await limiter.acquire(800, undefined);
    assert.equal(limiter.state().tokensLevel, 200);
    permit.complete({ usedTokens: 300 });
    assert.equal(limiter.state().tokensLevel, 700);
  });

  test('does not refund on its own once the server reports remaining tokens (its headers already do)', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const first = await limiter.acquire(100, undefined);
    // The server agrees: 900 of a 1 000-token burst left, reported scaled to the per-minute limit.
    first.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 54_000, resetTokensMs: 100 } });
    const second = await limiter.acquire(100, undefined);
    second.complete({ usedTokens: 10 });
    assert.equal(Math.round(limiter.state().tokensLevel), 800);
  });

  test('a 429 rejection refunds both reservations', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const permit = await limiter.acquire(400, undefined);
    permit.complete({ rejected: true });
    assert.equal(limiter.state().requestsLevel, 10);
    assert.equal(limiter.state().tokensLevel, 1_000);
  });

  test('rejects at once a request larger than a known TPM limit', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 10_000, concurrency: 10, tokenLimitKnown: true, headroomMs: 0 },
      clock,
    );
    await assert.rejects(limiter.acquire(10_001, undefined), (error: unknown) => {
      assert.ok(error instanceof RequestTooLargeError);
      assert.equal(error.requestedTokens, 10_001);
      assert.equal(error.limitTokens, 10_000);
      assert.match(error.message, /10001 tokens/);
      return true;
    });
    assert.equal(limiter.state().active, 0);
  });

  test('with an assumed (unknown) TPM limit, a big request waits for a full bucket instead of failing', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 10_000, concurrency: 10, headroomMs: 0 },
      clock,
    );
    const permit = await limiter.acquire(20_000, undefined);
    assert.ok(permit.weight === 20_000);
    assert.ok(limiter.state().tokensLevel < 0);
  });

  test('learning the TPM limit from headers makes it known', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 100_000, concurrency: 10, headroomMs: 0 },
      clock,
    );
    limiter.observe({ limitTokens: 5_000 });
    await assert.rejects(limiter.acquire(6_000, undefined), RequestTooLargeError);
  });

  test('a cancelled waiter leaves the queue and the next one proceeds', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 60, tokensPerMinute: 1e9, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const granted: Array<[string, number]> = [];
    void track(limiter, clock, 1, granted, 'a');
    const controller = new AbortController();
    const cancelled = track(limiter, clock, 1, granted, 'b', controller.signal);
    void track(limiter, clock, 1, granted, 'c');
    await clock.advance(500);
    controller.abort(new Error('stop'));
    await assert.rejects(cancelled, /stop/);
    await clock.advance(600);
    assert.deepEqual(granted, [
      ['a', 0],
      ['c', 1_000],
    ]);
  });

  test('headers lower the bucket when someone else spends from the same account', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const permit = await limiter.acquire(100, undefined);
    // We believe 900 of 1 000 tokens are left; the server says 400 (54 000 → 900, 24 000 → 400 when scaled).
    permit.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 24_000, resetTokensMs: 600 } });
    assert.equal(Math.round(limiter.state().tokensLevel), 400);
  });

  test('the same discrepancy reported by two answers is applied once', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const first = await limiter.acquire(100, undefined);
    const second = await limiter.acquire(100, undefined);
    // Someone else took 300 before both: the server saw 600 after the first and 500 after the second.
    first.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 36_000, resetTokensMs: 400 } });
    second.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 30_000, resetTokensMs: 500 } });
    assert.equal(Math.round(limiter.state().tokensLevel), 500);
  });

  test('answers to concurrent requests that the server counted in the other order change nothing', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const first = await limiter.acquire(100, undefined);
    const second = await limiter.acquire(100, undefined);
    // The server took `second` first: 900 left after it, 800 after `first`.
    first.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 48_000, resetTokensMs: 200 } });
    second.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 54_000, resetTokensMs: 100 } });
    assert.equal(Math.round(limiter.state().tokensLevel), 800);
  });

  test('headers computed when the answer is sent (after the refill since admission) do not raise the belief', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 60_000, concurrency: 10, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    const permit = await limiter.acquire(900, undefined);
    await clock.advance(200);
    // 100 left at admission; 200 ms of refill later the server reports 300 (18 000 scaled) with the answer.
    // That refill is ours too: the level is 300, not 300 + another 200 of imagined room (which earns 429s).
    permit.complete({ snapshot: { limitTokens: 60_000, remainingTokens: 18_000, resetTokensMs: 700 } });
    assert.equal(Math.round(limiter.state().tokensLevel), 300);
  });

  test('infers the server burst from remaining and reset (a per-minute bucket holds a full minute)', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 600, tokensPerMinute: 1e9, concurrency: 100, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    assert.equal(limiter.state().requestsCapacity, 10);
    const permit = await limiter.acquire(1, undefined);
    // 400 of 600 left and 20 s until full: 200 used refill at 10/s, so the bucket is the whole minute.
    permit.complete({ snapshot: { limitRequests: 600, remainingRequests: 400, resetRequestsMs: 20_000 } });
    assert.equal(Math.round(limiter.state().requestsCapacity), 600);
    assert.equal(Math.round(limiter.state().requestsLevel), 400);
  });

  test('a limit header changes the refill rate (120 RPM: one every 500 ms instead of 1 000)', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 60, tokensPerMinute: 1e9, concurrency: 100, burstSeconds: 1, headroomMs: 0 },
      clock,
    );
    limiter.observe({ limitRequests: 120 });
    const granted: Array<[string, number]> = [];
    for (const name of ['a', 'b', 'c', 'd']) void track(limiter, clock, 1, granted, name);
    await clock.advance(2_000);
    assert.deepEqual(
      granted.map(([, time]) => time),
      [0, 500, 1_000, 1_500],
    );
  });

  test('completing a permit twice frees one slot only', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(
      { requestsPerMinute: 1e6, tokensPerMinute: 1e9, concurrency: 1, headroomMs: 0 },
      clock,
    );
    const permit: RateLimitPermit = await limiter.acquire(1, undefined);
    permit.complete();
    permit.complete();
    assert.equal(limiter.state().active, 0);
    await limiter.acquire(1, undefined);
    assert.equal(limiter.state().active, 1);
  });
});
