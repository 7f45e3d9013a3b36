import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { startClientProcess } from '../support/clientProcesses';
import type { ClientProcessConfig, ClientProcessReport } from '../support/clientProcesses';
import { fakeApiKey } from '../support/fakeKeys';
import { startRedisServer } from '../support/redisServer';
import type { RedisServer } from '../support/redisServer';
import { Scratch, ask, harnessClient } from './clientHarness';

const RPM = 1_200;
const prompts = (label: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${label} prompt ${index}: two sentences on item ${index}.`);

/** Starts one client process per prompt list with the account's limits, lets them all go at once, and waits. */
async function runProcesses(
  server: TestServer,
  lists: string[][],
  extra: Partial<ClientProcessConfig>,
): Promise<ClientProcessReport[]> {
  const children = await Promise.all(
    lists.map((list) =>
      startClientProcess({
        url: server.url,
        apiKey: fakeApiKey('shared-account'),
        model: 'gpt-4o-mini',
        prompts: list,
        maxTokens: 32,
        rpm: RPM,
        tpm: 1_000_000,
        ...extra,
      }),
    ),
  );
  server.reset();
  for (const child of children) child.go();
  return Promise.all(children.map((child) => child.report));
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (await condition()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('processes sharing one account through Redis', () => {
  let server: TestServer;
  let redis: RedisServer;
  const scratch = new Scratch();
  before(async () => {
    [server, redis] = await Promise.all([
      startTestServer({ rpm: RPM, tpm: 1_000_000, latencyMs: 40 }),
      startRedisServer(),
    ]);
  });
  after(async () => {
    await Promise.all([server.close(), redis.stop()]);
    await scratch.cleanUp();
  });

  test(
    'two processes on one limit: with Redis they stay under it together; on their own they earn 429s',
    { timeout: 60_000 },
    async () => {
      const shared = await runProcesses(server, [prompts('a', 40), prompts('b', 40)], {
        redisUrl: redis.url,
        redisKeyPrefix: 'two:',
      });
      const sharedStats = server.stats();
      assert.deepEqual(
        shared.map((report) => report.errors),
        [[], []],
      );
      assert.equal(sharedStats.completionsServed, 80);
      assert.ok(sharedStats.rateLimited <= 1, `${sharedStats.rateLimited} 429s with shared limits`);
      assert.ok(
        shared.every((report) => report.warnings.length === 0),
        shared.flatMap((report) => report.warnings).join('\n'),
      );

      await runProcesses(server, [prompts('c', 40), prompts('d', 40)], {});
      assert.ok(
        server.stats().rateLimited > 5,
        `${server.stats().rateLimited} 429s without Redis: the peer case should exceed the limit`,
      );
    },
  );

  test(
    'the same prompts in two processes are paid once, through Redis and through disk locks',
    { timeout: 60_000 },
    async () => {
      const same = prompts('same', 30);
      const viaRedis = await runProcesses(server, [same, same], { redisUrl: redis.url, redisKeyPrefix: 'same:' });
      assert.deepEqual(
        viaRedis.map((report) => report.ok),
        [30, 30],
      );
      assert.equal(server.stats().completionsServed, 30);
      assert.equal(server.stats().duplicateCompletions, 0);
      assert.equal(
        viaRedis.reduce((sum, report) => sum + (report.sources.redis ?? 0), 0),
        30,
      );

      const directory = `${await scratch.directory()}/cache`;
      const onDisk = prompts('disk', 30);
      const viaDisk = await runProcesses(server, [onDisk, onDisk], { cacheDirectory: directory });
      assert.deepEqual(
        viaDisk.map((report) => report.errors),
        [[], []],
      );
      assert.equal(server.stats().duplicateCompletions, 0);
      assert.equal(server.stats().completionsServed, 30);
    },
  );

  test('a killed lease owner: its lease expires and exactly one waiter takes over', { timeout: 60_000 }, async () => {
    server.configure({ latencyMs: 20_000 });
    const base = {
      url: server.url,
      apiKey: fakeApiKey('shared-account'),
      model: 'gpt-4o-mini',
      maxTokens: 32,
      rpm: RPM,
      tpm: 1_000_000,
      redisUrl: redis.url,
      redisKeyPrefix: 'crash:',
      leaseMs: 1_000,
    };
    const owner = await startClientProcess({ ...base, prompts: ['the crashing owner'] });
    server.reset();
    owner.go();
    await until(() => server.stats().inFlight === 1, 'the owner to reach the server');
    const waiters = await Promise.all([
      startClientProcess({ ...base, prompts: ['the crashing owner'] }),
      startClientProcess({ ...base, prompts: ['the crashing owner'] }),
    ]);
    for (const waiter of waiters) waiter.go();
    await sleep(300);
    assert.equal(server.stats().requests, 1, 'the waiters wait for the owner instead of sending');
    owner.child.kill('SIGKILL');
    await assert.rejects(owner.report);
    server.configure({ latencyMs: 40 });
    const reports = await Promise.all(waiters.map((waiter) => waiter.report));
    assert.deepEqual(
      reports.map((report) => report.ok),
      [1, 1],
    );
    const sources = reports.map((report) => Object.keys(report.sources)[0]).sort();
    assert.deepEqual(sources, ['miss', 'redis'], 'one waiter took over and called, the other got its answer');
    assert.equal(server.stats().requests, 2, "the dead owner's call and the one that took over");
  });

  test(
    'Redis stopped and restarted mid-run: no failed calls, one warning each way, limits shared again',
    { timeout: 60_000 },
    async () => {
      const flaky = await startRedisServer();
      const logger = {
        messages: [] as string[],
        warn(message: string) {
          this.messages.push(message);
        },
      };
      const { client } = harnessClient(server.url, await scratch.directory(), {
        cache: { redisUrl: flaky.url, redisKeyPrefix: 'flaky:' },
        limits: { default: { requestsPerMinute: RPM, tokensPerMinute: 1_000_000, concurrency: 8 } },
        logger,
      });
      const calls = prompts('flaky', 60).map(async (text, index) => {
        // Spread the calls so that some run before, during and after the outage.
        await sleep(index * 20);
        return client.chat(ask(text));
      });
      await until(() => client.counters().requests >= 10, 'calls before the outage');
      await flaky.stop();
      await until(() => client.counters().requests >= 30, 'calls during the outage');
      const restarted = await startRedisServer({ port: flaky.port });
      const results = await Promise.all(calls);
      assert.equal(results.length, 60);
      assert.equal(client.counters().failed, 0);
      const inspector = createClient({ url: restarted.url });
      await inspector.connect();
      try {
        await until(async () => {
          await client.chat(ask(`after the restart ${client.counters().requests}`));
          return (await inspector.keys('flaky:limits:*')).length > 0;
        }, 'the limits to be shared again');
      } finally {
        inspector.destroy();
        await client.close();
        await restarted.stop();
      }
      assert.equal(client.counters().failed, 0);
      assert.equal(
        logger.messages.filter((message) => /is unavailable/.test(message)).length,
        1,
        logger.messages.join('\n'),
      );
      assert.equal(
        logger.messages.filter((message) => /reachable again/.test(message)).length,
        1,
        logger.messages.join('\n'),
      );
    },
  );

  test('Redis holds no prompt text and never the API key', { timeout: 30_000 }, async () => {
    await runProcesses(server, [prompts('private', 3), prompts('private', 3)], {
      redisUrl: redis.url,
      redisKeyPrefix: 'private:',
    });
    const inspector = createClient({ url: redis.url });
    await inspector.connect();
    try {
      const keys = await inspector.keys('*');
      assert.ok(
        keys.some((key) => key.includes(':limits:')),
        keys.join('\n'),
      );
      for (const key of keys) {
        const type = await inspector.type(key);
        const text =
          type === 'hash'
            ? JSON.stringify(await inspector.hGetAll(key))
            : type === 'string'
              ? ((await inspector.get(key)) ?? '')
              : '';
        assert.ok(!`${key} ${text}`.includes('shared-account'), `API key in ${key}`);
        if (!text.includes('"completion"'))
          assert.ok(!/prompt \d+/.test(`${key} ${text}`), `prompt text outside a cache entry in ${key}`);
      }
    } finally {
      inspector.destroy();
    }
  });
});
