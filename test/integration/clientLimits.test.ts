import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { countChatTokens } from '../../src/core/tokens/chatFraming';
import { testTokenizers } from '../support/estimator';
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
    const limiter = client.limiterFor('gpt-4o-mini');
    const limited = client.chat(ask('I get the 429'));
    while (client.counters().rateLimited === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const bystander = client.chat(ask('I only arrive during the pause'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const held = limiter.state();
    assert.ok(held.pausedForMs > 0, 'the limiter is paused');
    assert.equal(held.queued, 1, 'the bystander waits in the queue (the 429 itself sleeps in its retry backoff)');
    assert.equal(held.active, 0, 'nothing is sent during the pause');
    assert.equal(server.stats().requests, 1);
    const [limitedResult, bystanderResult] = await Promise.all([limited, bystander]);
    await client.close();
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

    // 30 at once against a 10-request burst: only pacing at the learned rate avoids 429s.
    const results = await Promise.all(Array.from({ length: 30 }, (_, index) => client.chat(ask(`burst ${index}`))));
    await client.close();
    assert.equal(server.stats().rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
  });

  test('token-per-minute limits pace by estimated weight', async () => {
    server.configure({ tpm: 60_000 }); // 1 000 tokens per second, a 1-second burst
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { requestsPerMinute: 10_000, tokensPerMinute: 60_000, concurrency: 20 } },
    });
    // Each request weighs about 12 prompt tokens + 250 max_tokens, so 12 at once are three bursts' worth: only
    // pacing by token weight avoids 429s (the request bucket alone would let all 12 through).
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => client.chat(ask(`tokens ${index}`, { max_tokens: 250 }))));
    await client.close();
    assert.equal(server.stats().rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
    assert.ok(server.stats().promptTokens + 250 * 12 > 3_000);
  });

  test('heavy requests (40% of the burst) behind a 200 ms latency are paced without 429s', async () => {
    server.configure({ tpm: 60_000, latencyMs: 200 }); // 1 000 tokens per second, a 1-second burst
    const tokenizers = testTokenizers();
    const counter = await tokenizers.load('o200k_base');
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { requestsPerMinute: 10_000, tokensPerMinute: 60_000, concurrency: 8 } },
      // Exact weights, as the extension and the CLI use (characters / 4 overestimates English and would hide a drift).
      estimatePromptTokens: (request) => countChatTokens(counter, (request as ReturnType<typeof ask>).messages).total,
    });
    // About 150 prompt tokens + 250 max_tokens each. Each answer's headers are computed a latency after admission;
    // taking that refill for spare room (as the limiter once did) drew a 429 every few requests here.
    const paragraph = 'Summarise the customer call notes below in two sentences for the account owner. '.repeat(11);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, index) => client.chat(ask(`${index}. ${paragraph}`, { max_tokens: 250 }))),
    );
    await client.close();
    tokenizers.dispose();
    assert.ok(server.stats().promptTokens / 16 > 120, `prompt tokens each: ${server.stats().promptTokens / 16}`);
    assert.equal(server.stats().rateLimited, 0);
    assert.ok(results.every((result) => result.retries === 0));
  });
});
