import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { Scratch, ask, filesUnder, harnessClient, priceUsage, secretKey } from './clientHarness';
import { fakeApiKey } from '../support/fakeKeys';
import { Ledger } from '../../src/core/ledger/ledger';

describe('PromptMeterClient chat against the test server', () => {
  let server: TestServer;
  const scratch = new Scratch();
  before(async () => {
    server = await startTestServer({ streamChunkDelayMs: 1 });
  });
  afterEach(() => server.reset());
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  test('a non-streamed call is priced from usage and written to the ledger without prompt or key', async () => {
    const directory = await scratch.directory();
    const { client, ledger } = harnessClient(server.url, directory);
    const result = await client.chat(ask('What does a ledger record?'), {
      source: 'prompts/ledger.prompt.md',
      runId: 'run-1',
    });
    await client.close();
    assert.equal(result.cache, 'miss');
    assert.equal(result.retries, 0);
    const apiUsage = result.response.usage;
    assert.ok(apiUsage);
    assert.equal(result.usage.promptTokens, apiUsage.prompt_tokens);
    assert.equal(result.usage.completionTokens, apiUsage.completion_tokens);
    assert.equal(result.costUsd, priceUsage('gpt-4o-mini', result.usage, { batchApi: false }).costUsd);
    assert.equal(server.stats().completionsServed, 1);

    const { entries } = await ledger.read();
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.ok(entry);
    assert.equal(entry.source, 'prompts/ledger.prompt.md');
    assert.equal(entry.runId, 'run-1');
    assert.equal(entry.cache, 'miss');
    assert.equal(entry.outcome, 'ok');
    assert.equal(entry.requestKey, result.requestKey);
    assert.equal(entry.costUsd, result.costUsd);
    assert.equal(entry.priceSource, 'test rates');
    const text = await readFile(ledger.filePath, 'utf8');
    assert.doesNotMatch(text, /What does a ledger record/);
    assert.ok(!text.includes(secretKey));
  });

  test("a call's own ledger (a run in another workspace folder) gets its entry, and the client's does not", async () => {
    const directory = await scratch.directory();
    const { client, ledger } = harnessClient(server.url, directory);
    const other = new Ledger(path.join(directory, 'other-folder-ledger.jsonl'));
    const result = await client.chat(ask('Which ledger records this?'), {
      source: 'b/p.prompt.md',
      runId: 'run-b',
      ledger: other,
    });
    const hit = await client.chat(ask('Which ledger records this?'), {
      source: 'b/p.prompt.md',
      runId: 'run-b',
      ledger: other,
    });
    await client.close();
    assert.equal(hit.cache, 'memory');
    assert.deepEqual(
      (await other.read()).entries.map((entry) => [entry.runId, entry.cache, entry.costUsd]),
      [
        ['run-b', 'miss', result.costUsd],
        ['run-b', 'memory', 0],
      ],
    );
    assert.equal((await ledger.read()).entries.length, 0);
  });

  test('streaming: deltas arrive in order, usage comes from the final chunk, the repeat is a 0-HTTP memory hit', async () => {
    const directory = await scratch.directory();
    const { client, ledger } = harnessClient(server.url, directory);
    let streamed = '';
    const first = await client.chat(ask('Stream me an answer', { stream: true }), {
      onDelta: (delta) => {
        assert.equal(delta.attempt, 1);
        streamed += delta.content;
      },
    });
    assert.equal(first.cache, 'miss');
    assert.ok(streamed.length > 0);
    assert.equal(first.response.choices[0]?.message.content, streamed);
    assert.ok(first.usage.promptTokens > 0 && first.usage.completionTokens > 0);
    const requestsBefore = server.stats().requests;

    let replayed = '';
    const repeat = await client.chat(ask('Stream me an answer'), { onDelta: (delta) => (replayed += delta.content) });
    await client.close();
    assert.equal(server.stats().requests, requestsBefore, 'no HTTP call for the repeat');
    assert.equal(repeat.cache, 'memory');
    assert.equal(repeat.costUsd, 0);
    assert.equal(repeat.avoidedCostUsd, first.costUsd);
    assert.equal(repeat.response.choices[0]?.message.content, streamed);
    assert.equal(replayed, streamed);
    assert.equal(repeat.requestKey, first.requestKey, 'stream and non-stream share one key');
    assert.deepEqual(client.counters(), { requests: 1, cacheHits: 1, retries: 0, rateLimited: 0, failed: 0 });

    const { entries } = await ledger.read();
    assert.deepEqual(
      entries.map((entry) => [entry.cache, entry.costUsd]),
      [
        ['miss', first.costUsd],
        ['memory', 0],
      ],
    );
    assert.equal(entries[1]?.avoidedCostUsd, first.costUsd);
  });

  test('ten identical concurrent requests make one HTTP call', async () => {
    const directory = await scratch.directory();
    server.configure({ latencyMs: 100 });
    const { client, ledger } = harnessClient(server.url, directory);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.chat(ask('Only once, please'))));
    await client.close();
    server.configure({ latencyMs: 0 });
    const stats = server.stats();
    assert.equal(stats.requests, 1);
    assert.equal(stats.completionsServed, 1);
    assert.equal(stats.duplicateCompletions, 0);
    assert.equal(results.filter((result) => result.cache === 'miss').length, 1);
    assert.equal(results.filter((result) => result.cache === 'inflight').length, 9);
    assert.equal(new Set(results.map((result) => result.response.choices[0]?.message.content)).size, 1);
    const { entries } = await ledger.read();
    assert.equal(entries.length, 10);
    assert.equal(entries.filter((entry) => entry.cache === 'inflight' && entry.costUsd === 0).length, 9);
  });

  test('the disk tier survives a restart; a hit there fills memory', async () => {
    const directory = await scratch.directory();
    const first = harnessClient(server.url, directory).client;
    await first.chat(ask('Remember me across restarts'));
    await first.close();
    const second = harnessClient(server.url, directory).client;
    const fromDisk = await second.chat(ask('Remember me across restarts'));
    const fromMemory = await second.chat(ask('Remember me across restarts'));
    await second.close();
    assert.equal(fromDisk.cache, 'disk');
    assert.equal(fromMemory.cache, 'memory');
    assert.equal(server.stats().requests, 1);
  });

  test('a corrupted disk entry is dropped and refetched', async () => {
    const directory = await scratch.directory();
    const first = harnessClient(server.url, directory).client;
    const original = await first.chat(ask('Corrupt my cache file'));
    await first.close();
    const contentFiles = (await filesUnder(path.join(directory, 'cache'))).filter((file) =>
      file.includes(`${path.sep}content-v2${path.sep}`),
    );
    assert.equal(contentFiles.length, 1);
    await writeFile(contentFiles[0] as string, '{"version":1,"endpoint":"chat.completions","broken":true}');

    const warnings: string[] = [];
    const second = harnessClient(server.url, directory, {
      logger: { warn: (message) => warnings.push(message) },
    }).client;
    const refetched = await second.chat(ask('Corrupt my cache file'));
    await second.close();
    assert.equal(refetched.cache, 'miss');
    assert.equal(server.stats().requests, 2);
    assert.equal(refetched.response.choices[0]?.message.content, original.response.choices[0]?.message.content);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /integrity/);

    const third = harnessClient(server.url, directory).client;
    assert.equal((await third.chat(ask('Corrupt my cache file'))).cache, 'disk');
    await third.close();
  });

  test('fresh bypasses the cache read and refreshes the entry', async () => {
    const directory = await scratch.directory();
    const { client } = harnessClient(server.url, directory);
    await client.chat(ask('Fresh please', { temperature: 1 }));
    const fresh = await client.chat(ask('Fresh please', { temperature: 1 }), { fresh: true });
    const after = await client.chat(ask('Fresh please', { temperature: 1 }));
    await client.close();
    assert.equal(fresh.cache, 'bypass');
    assert.equal(after.cache, 'memory');
    assert.equal(after.response.id, fresh.response.id, 'the refreshed answer is the one served afterwards');
    assert.equal(server.stats().requests, 2);
  });

  test('different API keys share cache entries; neither key reaches the disk cache', async () => {
    const directory = await scratch.directory();
    const first = harnessClient(server.url, directory).client;
    await first.chat(ask('Shared between keys'));
    await first.close();
    const second = harnessClient(server.url, directory, { apiKey: fakeApiKey('proj-ANOTHER0KEY0abcdefghij') }).client;
    assert.equal((await second.chat(ask('Shared between keys'))).cache, 'disk');
    await second.close();
    for (const file of await filesUnder(directory)) {
      const text = await readFile(file, 'utf8');
      assert.ok(!text.includes(secretKey) && !text.includes('ANOTHER0KEY'), file);
    }
  });
});
