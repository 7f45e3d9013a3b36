import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { Scratch, harnessClient } from './clientHarness';

const model = 'text-embedding-3-small';
const texts = Array.from(
  { length: 100 },
  (_, index) => `document number ${index}: ${'lorem ipsum '.repeat(index % 7)}`,
);

describe('PromptMeterClient embeddings against the test server', () => {
  let server: TestServer;
  const scratch = new Scratch();
  before(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.reset());
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  test('a batch of 100 with 90 cached sends only the 10 missing, in one request, and reassembles in order', async () => {
    const { client, ledger } = harnessClient(server.url, await scratch.directory());
    const warm = texts.filter((_, index) => index % 10 !== 3);
    const first = await client.embed({ model, input: warm });
    assert.equal(first.cache, 'miss');
    assert.equal(first.cachedInputs, 0);
    const before = server.stats();
    assert.equal(before.embeddingsServed, 1);
    assert.equal(before.inputsEmbedded, 90);

    const all = await client.embed({ model, input: texts });
    const after = server.stats();
    assert.equal(after.embeddingsServed - before.embeddingsServed, 1, 'one request');
    assert.equal(after.inputsEmbedded - before.inputsEmbedded, 10, 'only the missing inputs');
    assert.equal(all.cache, 'miss');
    assert.equal(all.cachedInputs, 90);
    assert.equal(all.response.data.length, 100);
    assert.deepEqual(
      all.response.data.map((item) => item.index),
      texts.map((_, index) => index),
    );

    // Every vector matches what the server gives for that text alone, so the order is right.
    const reference = await client.embed({ model, input: texts }, { fresh: true });
    for (const [index, item] of all.response.data.entries()) {
      assert.deepEqual(item.embedding, reference.response.data[index]?.embedding, `input ${index}`);
    }
    assert.deepEqual(all.response.data[0]?.embedding, first.response.data[0]?.embedding);
    await client.close();

    assert.ok(all.usage.promptTokens > 0 && all.usage.promptTokens < first.usage.promptTokens);
    assert.ok((all.avoidedCostUsd ?? 0) > 0);
    const { entries } = await ledger.read();
    const secondCall = entries.slice(1, 3);
    assert.deepEqual(secondCall.map((entry) => entry.cache).sort(), ['memory', 'miss']);
    assert.deepEqual(secondCall.map((entry) => entry.extra?.['embeddingInputs']).sort(), [10, 90]);
  });

  test('all inputs cached: no HTTP call, and duplicates within a batch are sent once', async () => {
    const { client } = harnessClient(server.url, await scratch.directory());
    const first = await client.embed({ model, input: ['alpha', 'beta', 'alpha'] });
    assert.equal(server.stats().inputsEmbedded, 2);
    assert.deepEqual(first.response.data[0]?.embedding, first.response.data[2]?.embedding);
    const again = await client.embed({ model, input: ['beta', 'alpha'] });
    const single = await client.embed({ model, input: 'beta' });
    await client.close();
    assert.equal(server.stats().embeddingsServed, 1);
    assert.equal(again.cache, 'memory');
    assert.equal(again.cachedInputs, 2);
    assert.equal(again.costUsd, 0);
    assert.deepEqual(single.response.data[0]?.embedding, first.response.data[1]?.embedding);
  });

  test('dimensions are part of the key', async () => {
    const { client } = harnessClient(server.url, await scratch.directory());
    const small = await client.embed({ model, input: 'gamma', dimensions: 32 });
    const large = await client.embed({ model, input: 'gamma', dimensions: 64 });
    await client.close();
    assert.equal(small.response.data[0]?.embedding.length, 32);
    assert.equal(large.response.data[0]?.embedding.length, 64);
    assert.equal(large.cache, 'miss');
  });
});
