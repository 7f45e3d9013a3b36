import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { countChatTokens } from '../../src/core/tokens/chatFraming';
import { testTokenizers } from '../support/estimator';
import { VirtualClock } from '../support/virtualClock';
import { Scratch, ask, harnessClient } from './clientHarness';

// Pacing is checked on one virtual clock shared by the client and the server (VirtualClock), so these tests pass
// the same on an idle and on a fully busy machine: no assertion depends on how fast the machine runs.

/** Lets queued callbacks run until `done` holds (no time passes on the virtual clock meanwhile). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 100_000 && !done(); turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  assert.ok(done(), `never happened: ${what}`);
}

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
    const clock = new VirtualClock();
    const { client } = harnessClient(server.url, await scratch.directory(), { clock });
    const limiter = client.limiterFor('gpt-4o-mini');
    const limited = client.chat(ask('I get the 429'));
    await until(() => client.counters().rateLimited === 1, 'the 429');
    const bystander = client.chat(ask('I only arrive during the pause'));
    // No virtual time passes until the clock is driven: the pause cannot run out while we look.
    await until(() => limiter.state().queued === 1, 'the bystander queued');
    const held = limiter.state();
    assert.ok(held.pausedForMs > 0, 'the limiter is paused');
    assert.equal(held.queued, 1, 'the bystander waits in the queue (the 429 itself sleeps in its retry backoff)');
    assert.equal(held.active, 0, 'nothing is sent during the pause');
    assert.equal(server.stats().requests, 1);
    clock.drive(() => limiter.state().active);
    const [limitedResult, bystanderResult] = await Promise.all([limited, bystander]);
    clock.stop();
    await client.close();
    assert.ok(clock.now() >= 1_000, 'both waited out the retry-after of the 429');
    assert.equal(bystanderResult.retries, 0, 'it was held back, not refused');
    assert.equal(limitedResult.retries, 1);
    assert.equal(server.stats().rateLimited, 1);
    assert.equal(server.stats().requests, 3);
  });

  test("the answers' headers correct limits configured too high, so a burst afterwards earns no 429", async () => {
    const clock = new VirtualClock();
    const paced = await startTestServer({ rpm: 600 }, { clock: clock.server }); // 10 per second, a 1-second burst
    const { client } = harnessClient(paced.url, await scratch.directory(), {
      clock,
      cache: false,
      limits: { default: { requestsPerMinute: 60_000, tokensPerMinute: 10_000_000, concurrency: 50 } },
    });
    const limiter = client.limiterFor('gpt-4o-mini');
    clock.drive(() => limiter.state().active);
    assert.equal(limiter.state().requestsCapacity, 1_000);
    await client.chat(ask('teach me your limits'));
    const learned = limiter.state();
    assert.ok(Math.abs(learned.requestsCapacity - 10) < 0.5, `burst learned from headers: ${learned.requestsCapacity}`);
    assert.ok(learned.requestsLevel <= 10);

    // 30 at once against a 10-request burst: only pacing at the learned rate avoids 429s.
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => client.chat(ask(`burst ${index}`))));
    clock.stop();
    await client.close();
    const stats = paced.stats();
    await paced.close();
    assert.equal(stats.rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
    assert.ok(clock.now() >= 1_900, `paced at 10 per second after the burst: ${clock.now()} ms for 31 requests`);
  });

  test('token-per-minute limits pace by estimated weight', async () => {
    const clock = new VirtualClock();
    const paced = await startTestServer({ tpm: 60_000 }, { clock: clock.server }); // 1 000 tokens per second, a 1-second burst
    const { client } = harnessClient(paced.url, await scratch.directory(), {
      clock,
      cache: false,
      limits: { default: { requestsPerMinute: 10_000, tokensPerMinute: 60_000, concurrency: 20 } },
    });
    const limiter = client.limiterFor('gpt-4o-mini');
    clock.drive(() => limiter.state().active);
    // Each request weighs about 12 prompt tokens + 250 max_tokens, so 12 at once are three bursts' worth: only
    // pacing by token weight avoids 429s (the request bucket alone would let all 12 through).
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => client.chat(ask(`tokens ${index}`, { max_tokens: 250 }))),
    );
    clock.stop();
    await client.close();
    const stats = paced.stats();
    await paced.close();
    assert.equal(stats.rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
    assert.ok(stats.promptTokens + 250 * 12 > 3_000);
  });

  test('heavy requests (40% of the burst) behind a 200 ms latency are paced without 429s', async () => {
    const clock = new VirtualClock();
    // 1 000 tokens per second, a 1-second burst; the 200 ms latency runs on the shared virtual clock too.
    const paced = await startTestServer({ tpm: 60_000, latencyMs: 200 }, { clock: clock.server });
    const tokenizers = testTokenizers();
    const counter = await tokenizers.load('o200k_base');
    const { client } = harnessClient(paced.url, await scratch.directory(), {
      clock,
      cache: false,
      limits: { default: { requestsPerMinute: 10_000, tokensPerMinute: 60_000, concurrency: 8 } },
      // Exact weights, as the extension and the CLI use (characters / 4 overestimates English and would hide a drift).
      estimatePromptTokens: (request) => countChatTokens(counter, (request as ReturnType<typeof ask>).messages).total,
    });
    // About 150 prompt tokens + 250 max_tokens each. Each answer's headers are computed a latency after admission;
    // taking that refill for spare room (as the limiter once did) drew a 429 every few requests here.
    const limiter = client.limiterFor('gpt-4o-mini');
    clock.drive(() => limiter.state().active);
    const paragraph = 'Summarise the customer call notes below in two sentences for the account owner. '.repeat(11);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, index) => client.chat(ask(`${index}. ${paragraph}`, { max_tokens: 250 }))),
    );
    clock.stop();
    await client.close();
    tokenizers.dispose();
    const stats = paced.stats();
    await paced.close();
    assert.ok(stats.promptTokens / 16 > 120, `prompt tokens each: ${stats.promptTokens / 16}`);
    assert.equal(stats.rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
  });
});
