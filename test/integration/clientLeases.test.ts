// A settings change while a run holds the client: the run keeps its memory cache and Redis connection, the next
// run gets a new client, and the old one is closed when the run lets go (issue 11, item 2).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ClientLeases } from '../../src/core/client/clientLeases';
import type { PromptMeterClient } from '../../src/core/client/promptMeterClient';
import { suiteRedis } from '../support/redisServer';
import { ask, harnessClient, suiteServer } from './clientHarness';

describe('client leases over a real client, test server and Redis', () => {
  // The test server's default options (streamed chunks paced as usual), one redis-server for the suite.
  const suite = suiteServer({});
  const { scratch } = suite;
  const redisSuite = suiteRedis();

  test('a renew mid-run does not close the running client; it is closed after the run releases it', async () => {
    const closed: PromptMeterClient[] = [];
    const warnings: string[] = [];
    const leases = new ClientLeases(async () => {
      const { client } = harnessClient(suite.server.url, await scratch.directory(), {
        cache: { redisUrl: redisSuite.redis.url },
        logger: { warn: (message) => warnings.push(message) },
      });
      return {
        client,
        close: async () => {
          closed.push(client);
          await client.close();
        },
      };
    });
    const run = await leases.lease();
    assert.ok(run);
    const first = await run.value.client.chat(ask('lease question one'));
    assert.equal(first.cache, 'miss');

    leases.renew(); // the settings changed while the run is going
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, [], 'the running client was closed under the run');

    // The run goes on with its memory cache and its Redis connection intact.
    assert.equal((await run.value.client.chat(ask('lease question one'))).cache, 'memory');
    assert.equal((await run.value.client.chat(ask('lease question two'))).cache, 'miss');

    const next = await leases.lease();
    assert.ok(next);
    assert.notEqual(next.value.client, run.value.client, 'the next run gets a client built from the new settings');
    // What the old client stored in Redis after the renew reached Redis: its connection was still open.
    assert.equal((await next.value.client.chat(ask('lease question two'))).cache, 'redis');

    run.release();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, [run.value.client]);
    next.release();
    leases.dispose();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(closed, [run.value.client, next.value.client]);
    assert.deepEqual(warnings, []);
    assert.equal(suite.server.stats().completionsServed, 2);
  });
});
