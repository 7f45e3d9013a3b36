import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { savingsByCause, savingsOfEntry, type CauseSaving, type SavingsReport } from '../../src/core/report/savings';
import { closeTo, ledgerEntry, testPrices } from './support/reportLedger';

function cause(report: SavingsReport, name: CauseSaving['cause']): CauseSaving {
  const found = report.causes.find((candidate) => candidate.cause === name);
  assert.ok(found, `cause ${name} missing in ${JSON.stringify(report.causes.map((candidate) => candidate.cause))}`);
  return found;
}

function detail(saving: CauseSaving, label: string) {
  const found = saving.detail.find((candidate) => candidate.label === label);
  assert.ok(found, `detail ${label} missing in ${JSON.stringify(saving.detail.map((candidate) => candidate.label))}`);
  return found;
}

describe('savings by cause', () => {
  test('a truncated answer is no saving: not as a cache hit, a shared call, a batch call or a model change', () => {
    const truncated = {
      outcome: 'truncated' as const,
      finishReason: 'length',
      usage: { promptTokens: 2000, cachedTokens: 1024, completionTokens: 10 },
    };
    const entries = [
      ledgerEntry({ ...truncated, costUsd: 0.001, batchApi: true, modelChangedFrom: 'model-b' }),
      ledgerEntry({ ...truncated, cache: 'inflight', costUsd: 0 }),
      ledgerEntry({ ...truncated, cache: 'memory', costUsd: 0, avoidedCostUsd: 0.001 }),
    ];
    for (const entry of entries) assert.deepEqual(savingsOfEntry(entry, testPrices), []);
    assert.deepEqual(savingsByCause(entries, testPrices).causes, []);
  });

  test('no evidence, no saving: plain calls, failed calls and an empty ledger list no cause', () => {
    assert.deepEqual(savingsByCause([], testPrices).causes, []);
    const report = savingsByCause(
      [
        ledgerEntry({ usage: { promptTokens: 1000, completionTokens: 100 }, costUsd: 0.0028 }),
        ledgerEntry({ batchApi: true, outcome: 'error', error: { status: 500, message: 'boom' } }),
        ledgerEntry({ cache: 'bypass', usage: { promptTokens: 10 }, costUsd: 0.00002 }),
      ],
      testPrices,
    );
    assert.deepEqual(report.causes, []);
    assert.deepEqual(report.total, { usd: 0, knownUsd: 0, unpriced: 0 });
  });

  test('response cache: the avoided call at its recorded price; priced from usage when absent; unknown when null', () => {
    const report = savingsByCause(
      [
        ledgerEntry({ cache: 'memory', avoidedCostUsd: 0.0123 }),
        // 1,000 input × $2/M + 500 output × $8/M = 0.002 + 0.004
        ledgerEntry({ cache: 'disk', usage: { promptTokens: 1000, completionTokens: 500 } }),
        ledgerEntry({ cache: 'redis', model: 'no-price', avoidedCostUsd: null }),
      ],
      testPrices,
    );
    const saving = cause(report, 'responseCache');
    assert.equal(saving.evidence, 3);
    assert.equal(saving.amount.usd, null, 'an unknown part makes the total unknown, never $0');
    closeTo(saving.amount.knownUsd, 0.0183);
    assert.equal(saving.amount.unpriced, 1);
    closeTo(detail(saving, 'memory').amount.usd, 0.0123);
    closeTo(detail(saving, 'disk').amount.usd, 0.006);
    assert.deepEqual(detail(saving, 'redis').amount, { usd: null, knownUsd: 0, unpriced: 1 });
    assert.equal(report.causes.length, 1);
  });

  test('dedupe: in-flight sharing and batch dedupe (identical, semantic) are calls not made', () => {
    const report = savingsByCause(
      [
        ledgerEntry({ cache: 'inflight', avoidedCostUsd: 0.004 }),
        ledgerEntry({ cache: 'inflight', avoidedCostUsd: 0.01, extra: { dedupe: 'identical' } }),
        ledgerEntry({ cache: 'inflight', avoidedCostUsd: 0.01, extra: { dedupe: 'identical' } }),
        ledgerEntry({ cache: 'inflight', avoidedCostUsd: 0.002, extra: { dedupe: 'semantic' } }),
      ],
      testPrices,
    );
    const saving = cause(report, 'dedupe');
    closeTo(saving.amount.usd, 0.026);
    assert.equal(saving.evidence, 4);
    closeTo(detail(saving, 'in-flight').amount.usd, 0.004);
    closeTo(detail(saving, 'batch (identical)').amount.usd, 0.02);
    assert.equal(detail(saving, 'batch (identical)').evidence, 2);
    closeTo(detail(saving, 'batch (semantic)').amount.usd, 0.002);
  });

  test('Batch API: standard price of the same usage minus what the batch call cost', () => {
    // Standard: 10,000 × $2/M + 2,000 × $8/M = 0.02 + 0.016 = 0.036; the batch call cost half, 0.018.
    const [saving] = savingsOfEntry(
      ledgerEntry({ batchApi: true, usage: { promptTokens: 10_000, completionTokens: 2_000 }, costUsd: 0.018 }),
      testPrices,
    );
    assert.deepEqual(saving, { cause: 'batchApi', detail: 'model-a', usd: 0.018 });
    const unknown = savingsOfEntry(
      ledgerEntry({ batchApi: true, model: 'no-price', usage: { promptTokens: 10 }, costUsd: null }),
      testPrices,
    );
    assert.deepEqual(unknown, [{ cause: 'batchApi', detail: 'no-price', usd: null }]);
  });

  test('provider prompt caching: cached tokens × (input − cached input), batch rates for batch calls, long-context tier', () => {
    const report = savingsByCause(
      [
        // 3,000 × ($2 − $0.5)/M = 0.0045
        ledgerEntry({ usage: { promptTokens: 4000, cachedTokens: 3000, completionTokens: 100 }, costUsd: 0.0043 }),
        // Batch on model-b: 1,000 × ($0.4 − $0.1)/M × 50% = 0.00015; its Batch API saving: standard
        // (1,000 × 0.4 + 1,000 × 0.1)/M = 0.0005 minus the 0.00025 paid = 0.00025.
        ledgerEntry({
          model: 'model-b',
          batchApi: true,
          usage: { promptTokens: 2000, cachedTokens: 1000 },
          costUsd: 0.00025,
        }),
        // Above 1,000 input tokens model-long bills 4 / 1: 1,500 × ($4 − $1)/M = 0.0045
        ledgerEntry({ model: 'model-long', usage: { promptTokens: 2000, cachedTokens: 1500 }, costUsd: 0.0035 }),
      ],
      testPrices,
    );
    const caching = cause(report, 'promptCaching');
    assert.equal(caching.evidence, 3);
    closeTo(caching.amount.usd, 0.0045 + 0.00015 + 0.0045);
    closeTo(detail(caching, 'model-b').amount.usd, 0.00015);
    closeTo(detail(caching, 'model-long').amount.usd, 0.0045);
    closeTo(cause(report, 'batchApi').amount.usd, 0.00025);
  });

  test('cheaper model applied: the same usage on the replaced model minus the actual cost; only for changed prompts', () => {
    // model-b: 1,000 × 0.4 + 1,000 × 1.6 = $0.002 paid; on model-big: 1,000 × 10 + 1,000 × 40 = $0.05.
    const usage = { promptTokens: 1000, completionTokens: 1000 };
    const report = savingsByCause(
      [
        ledgerEntry({ model: 'model-b', modelChangedFrom: 'model-big', usage, costUsd: 0.002 }),
        ledgerEntry({ model: 'model-b', modelChangedFrom: 'retired-model', usage, costUsd: 0.002 }),
        ledgerEntry({ model: 'model-b', usage, costUsd: 0.002 }),
        // A cache hit's saving is the avoided call (response cache), not a model change.
        ledgerEntry({ model: 'model-b', modelChangedFrom: 'model-big', cache: 'memory', usage, avoidedCostUsd: 0.002 }),
      ],
      testPrices,
    );
    const change = cause(report, 'modelChange');
    assert.equal(change.evidence, 2);
    assert.deepEqual(change.amount, { usd: null, knownUsd: 0.048, unpriced: 1 });
    closeTo(detail(change, 'model-big → model-b').amount.usd, 0.048);
    closeTo(cause(report, 'responseCache').amount.usd, 0.002);
  });

  test('cheaper model applied on a batch call compares batch prices on both models', () => {
    // Paid batch on model-b: (1,000 × 0.4 + 1,000 × 1.6)/M × 50% = 0.001; model-big batch: 0.05 × 50% = 0.025.
    const savings = savingsOfEntry(
      ledgerEntry({
        model: 'model-b',
        batchApi: true,
        modelChangedFrom: 'model-big',
        usage: { promptTokens: 1000, completionTokens: 1000 },
        costUsd: 0.001,
      }),
      testPrices,
    );
    const change = savings.find((saving) => saving.cause === 'modelChange');
    closeTo(change?.usd, 0.024);
    closeTo(savings.find((saving) => saving.cause === 'batchApi')?.usd, 0.001);
  });

  test('a flex call (Batch API rates) compares flex prices on both models; a priority call has no known saving', () => {
    const usage = { promptTokens: 1000, completionTokens: 1000 };
    const flex = savingsOfEntry(
      ledgerEntry({ model: 'model-b', serviceTier: 'flex', modelChangedFrom: 'model-big', usage, costUsd: 0.001 }),
      testPrices,
    );
    closeTo(flex.find((saving) => saving.cause === 'modelChange')?.usd, 0.024);
    assert.equal(
      flex.find((saving) => saving.cause === 'batchApi'),
      undefined,
      'flex is not the Batch API',
    );
    const priority = savingsOfEntry(
      ledgerEntry({ model: 'model-b', serviceTier: 'priority', modelChangedFrom: 'model-big', usage, costUsd: null }),
      testPrices,
    );
    assert.equal(priority.find((saving) => saving.cause === 'modelChange')?.usd, null);
    const hit = savingsOfEntry(
      ledgerEntry({ model: 'model-b', serviceTier: 'flex', cache: 'disk', usage }),
      testPrices,
    );
    closeTo(hit.find((saving) => saving.cause === 'responseCache')?.usd, 0.001, 'the avoided call was a flex call');
  });

  test('map-reduce: the single-call estimate minus the map-reduce estimate, only when positive', () => {
    const report = savingsByCause(
      [
        ledgerEntry({
          extra: {
            mapReduce: { singleCallEstimateUsd: 0.3, mapReduceEstimateUsd: 0.12, singleCallModel: 'model-big' },
          },
        }),
        ledgerEntry({
          extra: {
            mapReduce: { singleCallEstimateUsd: 0.1, mapReduceEstimateUsd: 0.15, singleCallModel: 'model-big' },
          },
        }),
        ledgerEntry({ extra: { mapReduce: { singleCallEstimateUsd: 'a lot' } } }),
      ],
      testPrices,
    );
    const mapReduce = cause(report, 'mapReduce');
    assert.equal(mapReduce.evidence, 2, 'a malformed record is no evidence');
    closeTo(mapReduce.amount.usd, 0.18);
  });

  test('each cause gets its share of the total; causes come in a fixed order with their counterfactual', () => {
    const report = savingsByCause(
      [
        ledgerEntry({ batchApi: true, usage: { promptTokens: 10_000, completionTokens: 2_000 }, costUsd: 0.018 }),
        ledgerEntry({ cache: 'disk', usage: { promptTokens: 1000, completionTokens: 500 } }),
      ],
      testPrices,
    );
    assert.deepEqual(
      report.causes.map((saving) => saving.cause),
      ['responseCache', 'batchApi'],
    );
    closeTo(report.total.usd, 0.024);
    closeTo(cause(report, 'responseCache').share ?? Number.NaN, 0.25);
    closeTo(cause(report, 'batchApi').share ?? Number.NaN, 0.75);
    for (const saving of report.causes)
      assert.ok(saving.counterfactual.length > 20, `${saving.cause} explains its counterfactual`);
  });
});
