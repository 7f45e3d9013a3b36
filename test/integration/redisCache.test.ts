import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RedisTier } from '../../src/core/cache/redisTier';
import { startRedisServer, suiteRedis } from '../support/redisServer';
import { ask, harnessClient, suiteServer } from './clientHarness';

function collectingLogger(): { warn(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (message) => messages.push(message), messages };
}

describe('Redis shared cache tier', () => {
  // The test server's default options (streamed chunks paced as usual), one redis-server for the suite.
  const suite = suiteServer({});
  const { scratch } = suite;
  const redisSuite = suiteRedis();

  test('a second client with empty memory and disk gets a Redis hit, then serves it from memory', async () => {
    const first = harnessClient(suite.server.url, await scratch.directory(), {
      cache: { redisUrl: redisSuite.redis.url },
    });
    const original = await first.client.chat(ask('share me through redis'));
    await first.client.close();
    assert.equal(original.cache, 'miss');

    const logger = collectingLogger();
    const second = harnessClient(suite.server.url, await scratch.directory(), {
      cache: { directory: `${await scratch.directory()}/cache`, redisUrl: redisSuite.redis.url },
      logger,
    });
    const shared = await second.client.chat(ask('share me through redis'));
    const again = await second.client.chat(ask('share me through redis'));
    await second.client.close();
    assert.equal(shared.cache, 'redis');
    assert.equal(again.cache, 'memory');
    assert.equal(shared.response.choices[0]?.message.content, original.response.choices[0]?.message.content);
    assert.equal(shared.avoidedCostUsd, original.costUsd);
    assert.equal(suite.server.stats().requests, 1);
    assert.deepEqual(logger.messages, []);
    const entries = (await second.ledger.read()).entries;
    assert.deepEqual(
      entries.map((entry) => entry.cache),
      ['redis', 'memory'],
    );
  });

  test(
    'a Redis that is down degrades to the other tiers with one warning, never failing the call',
    { timeout: 15_000 },
    async () => {
      const stopped = await startRedisServer();
      await stopped.stop();
      const logger = collectingLogger();
      const { client } = harnessClient(suite.server.url, await scratch.directory(), {
        cache: { redisUrl: stopped.url },
        logger,
      });
      const first = await client.chat(ask('redis is down'));
      const second = await client.chat(ask('redis is down'));
      const third = await client.chat(ask('redis is down too'));
      await client.close();
      assert.equal(first.cache, 'miss');
      assert.equal(second.cache, 'memory');
      assert.equal(third.cache, 'miss');
      assert.equal(logger.messages.length, 1, logger.messages.join('\n'));
      assert.match(logger.messages[0] ?? '', /Redis cache at 127\.0\.0\.1:\d+ is unavailable/);
    },
  );

  test('Redis going away mid-run: calls keep working from the other tiers', { timeout: 15_000 }, async () => {
    const doomed = await startRedisServer();
    const logger = collectingLogger();
    const { client } = harnessClient(suite.server.url, await scratch.directory(), {
      cache: { redisUrl: doomed.url },
      logger,
    });
    assert.equal((await client.chat(ask('before the outage'))).cache, 'miss');
    await doomed.stop();
    const during = await client.chat(ask('during the outage'));
    const cached = await client.chat(ask('before the outage'));
    await client.close();
    assert.equal(during.cache, 'miss');
    assert.equal(cached.cache, 'memory');
    assert.equal(logger.messages.length, 1, logger.messages.join('\n'));
  });

  test('the tier keeps its keys under a prefix and honours a TTL', async () => {
    const logger = collectingLogger();
    const tier = new RedisTier({ url: redisSuite.redis.url, logger, keyPrefix: 'test:', ttlSeconds: 60 });
    await tier.set('k', 'v');
    assert.equal(await tier.get('k'), 'v');
    const plain = new RedisTier({ url: redisSuite.redis.url, logger, keyPrefix: 'other:' });
    assert.equal(await plain.get('k'), undefined);
    await tier.delete('k');
    assert.equal(await tier.get('k'), undefined);
    await Promise.all([tier.close(), plain.close()]);
    assert.deepEqual(logger.messages, []);
  });
});
