import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { InsufficientQuotaError, PromptMeterError, RequestTooLargeError } from '../../src/core/client/errors';
import { startTestServer } from '../server';
import type { ScriptedOutcome, TestServer } from '../server';
import { Scratch, ask, harnessClient, secretKey } from './clientHarness';
import { fakeApiKey } from '../support/fakeKeys';

async function failure(promise: Promise<unknown>): Promise<PromptMeterError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PromptMeterError, `expected a PromptMeterError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('PromptMeterClient retries and failures against the test server', () => {
  let server: TestServer;
  const scratch = new Scratch();
  before(async () => {
    server = await startTestServer({ streamChunkDelayMs: 1, slowMs: 5_000 });
  });
  afterEach(() => {
    server.configure({ insufficientQuota: false, apiKey: undefined, tpm: undefined, contextWindows: {} });
    server.reset();
  });
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  const transient: ScriptedOutcome[] = ['500', '503', '408', '409', 'reset', 'malformed', 'slow', '429'];
  for (const stream of [false, true]) {
    for (const outcome of transient) {
      test(`${outcome} is retried, then succeeds (${stream ? 'streaming' : 'plain'})`, async () => {
        server.configure({ script: [outcome] });
        const { client, ledger } = harnessClient(server.url, await scratch.directory(), { timeoutMs: 400 });
        const result = await client.chat(ask(`retry after ${outcome}`, { stream }));
        await client.close();
        assert.equal(result.retries, 1);
        assert.equal(result.cache, 'miss');
        assert.ok(result.response.choices[0]?.message.content);
        assert.equal(server.stats().requests, 2);
        assert.equal(client.counters().retries, 1);
        assert.equal(client.counters().rateLimited, outcome === '429' ? 1 : 0);
        const [entry] = (await ledger.read()).entries;
        assert.equal(entry?.retries, 1);
        assert.equal(entry?.outcome, 'ok');
      });
    }
  }

  test('several faults in a row are all retried', async () => {
    server.configure({ script: ['500', '503', 'reset', 'malformed', 'slow'] });
    const { client } = harnessClient(server.url, await scratch.directory(), { timeoutMs: 400 });
    const result = await client.chat(ask('five faults then an answer'));
    await client.close();
    assert.equal(result.retries, 5);
    assert.equal(server.stats().requests, 6);
  });

  test('retries give up after the configured number with the last error, and errors are never cached', async () => {
    server.configure({ script: ['500', '500', '500'] });
    const { client, ledger } = harnessClient(server.url, await scratch.directory(), {
      retry: { retries: 2, baseDelayMs: 5 },
    });
    const error = await failure(client.chat(ask('always broken')));
    assert.equal(error.reason, 'server');
    assert.equal(error.status, 500);
    assert.equal(server.stats().requests, 3);
    const recovered = await client.chat(ask('always broken'));
    await client.close();
    assert.equal(recovered.cache, 'miss', 'the failure was not cached');
    const entries = (await ledger.read()).entries;
    // The API bills no failed call: the ledger (what was paid) holds the answer only; the failure is counted.
    assert.deepEqual(
      entries.map((entry) => [entry.outcome, entry.retries]),
      [['ok', 0]],
    );
    assert.equal(client.counters().failed, 1);
  });

  test('insufficient_quota stops the whole run at once: no retries, a typed error, queued calls never sent', async () => {
    server.configure({ insufficientQuota: true });
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { concurrency: 1 } },
    });
    const calls = Array.from({ length: 5 }, (_, index) => failure(client.chat(ask(`quota ${index}`))));
    const errors = await Promise.all(calls);
    for (const error of errors) {
      assert.ok(error instanceof InsufficientQuotaError);
      assert.match(
        error.message,
        /out of quota: add credit at platform\.openai\.com\/account\/billing, then resume the run/,
      );
    }
    assert.equal(server.stats().requests, 1);
    assert.equal(server.stats().insufficientQuota, 1);
    assert.equal(client.counters().retries, 0);
    assert.ok(client.stopReason instanceof InsufficientQuotaError);
    assert.equal(client.stopSignal.aborted, true);

    const later = await failure(client.chat(ask('after the stop')));
    assert.ok(later instanceof InsufficientQuotaError);
    assert.equal(server.stats().requests, 1, 'a stopped run sends nothing');

    server.configure({ insufficientQuota: false });
    client.resume();
    assert.equal((await client.chat(ask('after the stop'))).cache, 'miss');
    await client.close();
  });

  test('401 is not retried and the key does not leak into the error or the ledger', async () => {
    server.configure({ apiKey: fakeApiKey('the-right-key-0000000000') });
    const { client, ledger } = harnessClient(server.url, await scratch.directory());
    const error = await failure(client.chat(ask('wrong key')));
    await client.close();
    assert.equal(error.reason, 'authentication');
    assert.equal(error.status, 401);
    assert.ok(error.action);
    assert.equal(server.stats().requests, 1);
    assert.ok(!error.message.includes(secretKey));
    const text = JSON.stringify((await ledger.read()).entries);
    assert.ok(!text.includes(secretKey) && !text.includes('HARNESS0SECRET'));
  });

  test('404 (unknown model) is not retried', async () => {
    const { client } = harnessClient(server.url, await scratch.directory());
    const error = await failure(client.chat({ ...ask('no such model'), model: 'gpt-nonexistent' }));
    await client.close();
    assert.equal(error.reason, 'notFound');
    assert.equal(server.stats().requests, 1);
  });

  test('400 (invalid parameter) and 400 context length are not retried', async () => {
    server.configure({ contextWindows: { 'gpt-4o-mini': 200 } });
    const { client } = harnessClient(server.url, await scratch.directory());
    const invalid = await failure(client.chat(ask('bad n', { n: 0 })));
    const tooLong = await failure(client.chat(ask('long '.repeat(400))));
    await client.close();
    assert.equal(invalid.reason, 'badRequest');
    assert.equal(tooLong.reason, 'contextLength');
    assert.equal(server.stats().requests, 2);
  });

  test('a request above a known TPM limit is rejected before sending', async () => {
    const { client } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { tokensPerMinute: 1_000 } },
    });
    const error = await failure(client.chat(ask('small prompt', { max_tokens: 2_000 })));
    await client.close();
    assert.ok(error instanceof RequestTooLargeError);
    assert.equal(server.stats().requests, 0);
  });

  test("the server's 'Request too large' 429 is not retried", async () => {
    server.configure({ tpm: 1_000 });
    const { client } = harnessClient(server.url, await scratch.directory());
    const error = await failure(client.chat(ask('too large for the server', { max_tokens: 2_000 })));
    await client.close();
    assert.ok(error instanceof RequestTooLargeError);
    assert.equal(server.stats().requests, 1);
  });

  test('cancelling a queued call rejects it as cancelled; it never reached the network, so it is no ledger entry', async () => {
    server.configure({ latencyMs: 300 });
    const { client, ledger } = harnessClient(server.url, await scratch.directory(), {
      limits: { default: { concurrency: 1 } },
    });
    const controller = new AbortController();
    const running = client.chat(ask('first in line'));
    const queued = failure(client.chat(ask('second in line'), { signal: controller.signal }));
    controller.abort();
    const error = await queued;
    await running;
    await client.close();
    server.configure({ latencyMs: 0 });
    assert.equal(error.reason, 'cancelled');
    assert.equal(server.stats().requests, 1);
    const outcomes = (await ledger.read()).entries.map((entry) => entry.outcome);
    assert.deepEqual(outcomes, ['ok']);
  });
});
