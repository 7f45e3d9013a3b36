// Random ledgers for the rollup property tests: every field the report reads varies (models with and without a
// price, sources, runs, jobs, cache tiers, outcomes and endpoints beyond today's, savings evidence), and times
// are distinct so "latest" is never a tie.
import assert from 'node:assert/strict';
import type { LedgerEntry } from '../../../src/core/ledger/ledgerEntry';
import type { PriceLookup } from '../../../src/core/report/priceLookup';
import { ledgerEntry, testPrices } from './reportLedger';

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The test prices under a key, so rollups made with them may be kept on disk. */
export const keyedTestPrices: PriceLookup = Object.assign((model: string, at: Date) => testPrices(model, at), {
  key: 'test-prices-1',
});

/** `count` entries at distinct times between `from` and `to` (ms), shuffled. */
export function randomEntries(random: () => number, count: number, from: number, to: number): LedgerEntry[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const entries: LedgerEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    // One slot of the interval per entry: distinct times.
    const time = new Date(from + Math.floor(((index + random()) * (to - from)) / count)).toISOString();
    const cache = pick(['miss', 'miss', 'miss', 'memory', 'disk', 'inflight', 'bypass'] as const);
    const paid = cache === 'miss' || cache === 'bypass';
    const outcome = pick(['ok', 'ok', 'ok', 'error', 'cancelled', 'truncated']);
    const priced = random() < 0.9;
    entries.push(
      ledgerEntry({
        time,
        model: pick(['model-a', 'model-b', 'model-long', 'no-price-model']),
        source: random() < 0.1 ? undefined : `prompts/p${Math.floor(random() * 12)}.prompt.md`,
        runId: random() < 0.5 ? undefined : `run-${Math.floor(random() * 4)}`,
        jobId: random() < 0.5 ? undefined : `job-${Math.floor(random() * 3)}`,
        endpoint: pick(['chat.completions', 'embeddings', 'responses']) as LedgerEntry['endpoint'],
        outcome: outcome as LedgerEntry['outcome'],
        cache,
        costUsd: paid ? (priced ? Math.round(random() * 1e6) / 1e8 : null) : 0,
        ...(paid
          ? {}
          : { avoidedCostUsd: random() < 0.8 ? Math.round(random() * 1e6) / 1e8 : random() < 0.5 ? null : undefined }),
        batchApi: random() < 0.2,
        ...(random() < 0.15 ? { modelChangedFrom: 'model-big' } : {}),
        ...(outcome === 'error' ? { error: { status: 500, message: `failure ${index}` } } : {}),
        ...(random() < 0.05
          ? {
              extra: {
                mapReduce: { singleCallEstimateUsd: 0.5, mapReduceEstimateUsd: random(), singleCallModel: 'model-big' },
              },
            }
          : {}),
        usage: {
          promptTokens: Math.floor(random() * 3000),
          cachedTokens: random() < 0.3 ? Math.floor(random() * 1000) : 0,
          completionTokens: Math.floor(random() * 500),
        },
      }),
    );
  }
  for (let index = entries.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [entries[index], entries[other]] = [entries[other]!, entries[index]!];
  }
  return entries;
}

/** Deep equality where numbers may differ by float rounding (sums added in another order). */
export function assertAlmostEqual(actual: unknown, expected: unknown, where = 'report'): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    assert.ok(
      Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
      `${where}: ${actual} ≠ ${expected}`,
    );
    return;
  }
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') {
    assert.deepEqual(actual, expected, where);
    return;
  }
  assert.equal(Array.isArray(actual), Array.isArray(expected), where);
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys)
    assertAlmostEqual(
      (actual as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${where}.${key}`,
    );
}
