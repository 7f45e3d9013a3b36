import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { readLedger } from '../../src/core/ledger/readLedger';
import { datedPriceLookup } from '../../src/core/report/priceLookup';
import { savingsByCause } from '../../src/core/report/savings';
import { buildCostReport } from '../../src/core/report/costReport';
import { harnessClient, suiteServer } from './clientHarness';

/** gpt-5-nano at its default effort spends the 10-token cap on hidden reasoning: empty, finish_reason length. */
const cutOff = {
  model: 'gpt-5-nano',
  messages: [{ role: 'user' as const, content: 'Classify: the printer is on fire' }],
  max_completion_tokens: 10,
};

describe('cut-off and empty answers are not successes', () => {
  const suite = suiteServer();

  test('a truncated answer is paid for, marked, recorded as truncated, and never cached', async () => {
    const directory = await suite.scratch.directory();
    const { client } = harnessClient(suite.server.url, directory);
    const first = await client.chat(cutOff);
    assert.deepEqual(first.truncated, { finishReason: 'length', empty: true });
    assert.equal(first.response.choices[0]?.message.content, '');
    assert.ok((first.costUsd ?? 0) > 0, 'the reasoning tokens were billed');
    const second = await client.chat({ ...cutOff, stream: true });
    assert.equal(second.cache, 'miss', 'not served from the cache');
    assert.deepEqual(second.truncated, { finishReason: 'length', empty: true });
    assert.equal(await client.hasCachedAnswer(cutOff), false);
    assert.equal(suite.server.stats().completionsServed, 2);
    const complete = await client.chat({ ...cutOff, max_completion_tokens: 400, reasoning_effort: 'minimal' });
    assert.equal(complete.truncated, undefined);
    assert.equal(
      (await client.chat({ ...cutOff, max_completion_tokens: 400, reasoning_effort: 'minimal' })).cache,
      'memory',
    );
    await client.close();
    const { entries } = await readLedger(path.join(directory, 'ledger.jsonl'));
    assert.deepEqual(
      entries.map((entry) => [entry.outcome, entry.finishReason ?? null, entry.cache]),
      [
        ['truncated', 'length', 'miss'],
        ['truncated', 'length', 'miss'],
        ['ok', null, 'miss'],
        ['ok', null, 'memory'],
      ],
    );
    const report = buildCostReport(entries, { now: new Date(), pricing: datedPriceLookup(), range: 'all' });
    const truncatedSpend = (entries[0]?.costUsd ?? 0) + (entries[1]?.costUsd ?? 0);
    assert.equal(report.truncated.calls, 2);
    assert.ok(Math.abs(report.truncated.spend.knownUsd - truncatedSpend) < 1e-12, 'spent on truncated answers');
  });

  test('identical calls in flight share a truncated answer as truncated, and it counts as no saving', async () => {
    const directory = await suite.scratch.directory();
    const { client } = harnessClient(suite.server.url, directory);
    suite.server.configure({ latencyMs: 30 });
    const results = await Promise.all([client.chat(cutOff), client.chat(cutOff), client.chat(cutOff)]);
    suite.server.configure({ latencyMs: 0 });
    assert.equal(suite.server.stats().completionsServed, 1);
    assert.deepEqual(
      results.map((result) => result.truncated?.finishReason),
      ['length', 'length', 'length'],
    );
    assert.deepEqual(results.map((result) => result.cache).sort(), ['inflight', 'inflight', 'miss']);
    await client.close();
    const { entries } = await readLedger(path.join(directory, 'ledger.jsonl'));
    assert.deepEqual(
      entries.map((entry) => entry.outcome),
      ['truncated', 'truncated', 'truncated'],
    );
    assert.ok(entries.every((entry) => entry.avoidedCostUsd === undefined));
    assert.deepEqual(savingsByCause(entries, datedPriceLookup()).causes, []);
  });
});
