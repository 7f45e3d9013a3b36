import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { Scratch, ask, harnessClient } from './clientHarness';

describe('PromptMeterClient rate limiting against the test server', () => {
  let server: TestServer;
  const scratch = new Scratch();
  before(async () => {
    server = await startTestServer();
  });
  afterEach(() => {
    server.configure({ rpm: undefined, tpm: undefined, latencyMs: 0 });
    server.reset();
  });
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  test('a 429 pauses every caller, not just the one that got it', async () => {
    server.configure({ script: ['429'] }); // answered with retry-after-ms: 1000
    const { client } = harnessClient(server.url, await scratch.directory());
    const limited = client.chat(ask('I get the 429'));
    while (client.counters().rateLimited === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const pauseStarted = performance.now();
    const bystander = client.chat(ask('I only arrive during the pause'));
    const bystanderResult = await bystander;
    const bystanderWaited = performance.now() - pauseStarted;
    const limitedResult = await limited;
    await client.close();
    assert.ok(bystanderWaited >= 900, `the bystander waited for the pause (${Math.round(bystanderWaited)} ms)`);
    assert.equal(bystanderResult.retries, 0, 'it was held back, not refused');
    assert.equal(limitedResult.retries, 1);
    assert.equal(server.stats().rateLimited, 1);
    assert.equal(server.stats().requests, 3);
  });

  test("the answers' headers correct limits configured too high, so a burst afterwards earns no 429", async () => {
    server.configure({ rpm: 600 }); // 10 per second, a 1-second burst
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { requestsPerMinute: 60_000, tokensPerMinute: 10_000_000, concurrency: 50 } },
    });
    const limiter = client.limiterFor('gpt-4o-mini');
    assert.equal(limiter.state().requestsCapacity, 1_000);
    await client.chat(ask('teach me your limits'));
    const learned = limiter.state();
    assert.ok(Math.abs(learned.requestsCapacity - 10) < 0.5, `burst learned from headers: ${learned.requestsCapacity}`);
    assert.ok(learned.requestsLevel <= 10);

    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => client.chat(ask(`burst ${index}`))));
    const elapsed = performance.now() - started;
    await client.close();
    assert.equal(server.stats().rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
    assert.ok(elapsed > 1_800, `paced at about 10 per second (${Math.round(elapsed)} ms for 30)`);
  });

  test('token-per-minute limits pace by estimated weight', async () => {
    server.configure({ tpm: 60_000 }); // 1 000 tokens per second, a 1-second burst
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { requestsPerMinute: 10_000, tokensPerMinute: 60_000, concurrency: 20 } },
    });
    const started = performance.now();
    // Each request weighs about 12 prompt tokens + 250 max_tokens: under 4 fit in a second.
    await Promise.all(Array.from({ length: 12 }, (_, index) => client.chat(ask(`tokens ${index}`, { max_tokens: 250 }))));
    const elapsed = performance.now() - started;
    await client.close();
    assert.equal(server.stats().rateLimited, 0);
    assert.ok(elapsed > 1_700, `12 × ~255 tokens at 1 000/s after a 1 000 burst takes ~2 s (${Math.round(elapsed)} ms)`);
  });
});
