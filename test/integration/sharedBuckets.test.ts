import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RedisConnection } from '../../src/core/cache/redisConnection';
import { SharedBuckets, accountId } from '../../src/core/client/sharedBuckets';
import { startRedisServer } from '../support/redisServer';
import type { RedisServer } from '../support/redisServer';

// 60 requests and 6 000 tokens per minute (1 and 100 per second), bursts of 3 requests and 300 tokens.
const limits = { requestsPerMinute: 60, requestsCapacity: 3, tokensPerMinute: 6_000, tokensCapacity: 300 };

describe('SharedBuckets (the Lua script on a real redis-server)', () => {
  let redis: RedisServer;
  let connection: RedisConnection;
  const warnings: string[] = [];
  before(async () => {
    redis = await startRedisServer();
    connection = new RedisConnection({ url: redis.url, logger: { warn: (message) => warnings.push(message) } });
  });
  after(async () => {
    await connection.close();
    await redis.stop();
  });
  const buckets = (name: string) => new SharedBuckets(connection, `test:limits:${name}`, () => performance.now());

  test('two holders of one pair draw from the same burst, keeping 250 ms of refill to spare', async () => {
    const [first, second] = [buckets('burst'), buckets('burst')];
    const taken = [await first.take(limits, 10, 0), await second.take(limits, 10, 0)];
    assert.deepEqual(
      taken.map((answer) => answer?.waitMs),
      [0, 0],
    );
    // One request is left of the burst of 3, but the margin wants 1.25: the third waits about 250 ms.
    const refused = await first.take(limits, 10, 0);
    assert.ok(refused && refused.waitMs > 0 && refused.waitMs <= 250, `wait ${refused?.waitMs}`);
    assert.deepEqual(refused.limits, limits);
  });

  test('tokens bind too, a refund gives room back, a pause holds everyone', async () => {
    const pair = buckets('tokens');
    assert.equal((await pair.take(limits, 250, 0))?.waitMs, 0);
    const heavy = await pair.take(limits, 250, 0);
    assert.ok(heavy && heavy.waitMs > 1_500, `wait ${heavy?.waitMs} for 250 tokens with about 50 left`);
    await pair.adjust(limits, 1, 250);
    assert.equal((await pair.take(limits, 250, 0))?.waitMs, 0, 'the refunded tokens are there again');
    const other = buckets('paused');
    await other.pause(limits, 5_000);
    const paused = await other.take(limits, 1, 0);
    assert.ok(paused && paused.waitMs > 4_000, `wait ${paused?.waitMs} during a pause`);
  });

  test('headers: a new limit rescales the burst, a lower remaining lowers the level, a higher one does not raise it', async () => {
    const pair = buckets('headers');
    await pair.take(limits, 1, 0);
    await pair.correct(limits, { limitRequests: 120, remainingRequests: 0, limitTokens: 6_000 }, 0);
    const after = await pair.take(limits, 1, 0);
    assert.equal(after?.limits.requestsPerMinute, 120);
    assert.equal(after?.limits.requestsCapacity, 6, 'same seconds of burst at the new rate');
    assert.ok(after && after.waitMs > 0, 'the server said no requests are left');
    await pair.correct(limits, { remainingRequests: 120 }, 0);
    assert.ok(((await pair.take(limits, 1, 0))?.waitMs ?? 0) > 0, 'a reading above ours is not taken as room');
  });

  test('the account is a hash of base URL and key, never the key', () => {
    const id = accountId('https://api.openai.com/v1/', 'sk-secret-value');
    assert.match(id, /^[0-9a-f]{24}$/);
    assert.equal(id, accountId('https://api.openai.com/v1', 'sk-secret-value'));
    assert.notEqual(id, accountId('https://api.openai.com/v1', 'sk-other-value'));
    assert.deepEqual(warnings, []);
  });

  test('Redis down: every operation answers "not shared" at once and the pair stays local for a while', async () => {
    const gone = await startRedisServer();
    await gone.stop();
    const messages: string[] = [];
    const down = new RedisConnection({
      url: gone.url,
      logger: { warn: (message) => messages.push(message) },
      connectTimeoutMs: 200,
    });
    const pair = new SharedBuckets(down, 'test:limits:down', () => performance.now());
    assert.equal(await pair.take(limits, 1, 0), undefined);
    assert.equal(pair.usable, false);
    await down.close();
    assert.equal(messages.length, 1);
  });
});
