// Hand-made ledgers and a fixed price table for the cost report tests: every expected number in those tests is
// computed by hand from these prices (USD per 1M tokens).
import { randomUUID } from 'node:crypto';
import type { LedgerEntry, LedgerUsage } from '../../../src/core/ledger/ledgerEntry';
import type { ModelPrice, TokenRates } from '../../../src/core/pricing/modelPrice';
import type { PriceLookup } from '../../../src/core/report/priceLookup';

const TEST_SOURCE = { kind: 'override', label: 'test prices' } as const;

/** model-a 2 / 0.5 / 8; model-b 0.4 / 0.1 / 1.6; model-big 10 / 2.5 / 40; model-long has a long-context tier. */
export const TEST_RATES: Readonly<Record<string, TokenRates>> = {
  'model-a': { input: 2, cachedInput: 0.5, output: 8 },
  'model-b': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'model-big': { input: 10, cachedInput: 2.5, output: 40 },
  'model-long': { input: 1, cachedInput: 0.25, output: 4 },
};

/** Prices from TEST_RATES; `model-long` costs 4 / 1 / 16 above 1,000 input tokens; anything else is unknown. */
export const testPrices: PriceLookup = (model) => {
  const rates = TEST_RATES[model];
  if (!rates) return undefined;
  const price: ModelPrice = { model, rates, source: TEST_SOURCE };
  return model === 'model-long'
    ? { ...price, longContext: { aboveInputTokens: 1000, rates: { input: 4, cachedInput: 1, output: 16 } } }
    : price;
};

/** A successful paid call on model-a at `time` with the given overrides (usage merged field by field). */
export function ledgerEntry(
  overrides: Omit<Partial<LedgerEntry>, 'usage'> & { usage?: Partial<LedgerUsage> } = {},
): LedgerEntry {
  const { usage, ...rest } = overrides;
  return {
    version: 1,
    id: randomUUID(),
    time: '2026-11-20T09:00:00.000Z',
    endpoint: 'chat.completions',
    model: 'model-a',
    requestKey: 'a'.repeat(64),
    costUsd: 0,
    latencyMs: 100,
    cache: 'miss',
    retries: 0,
    outcome: 'ok',
    ...rest,
    usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, ...usage },
  };
}

/** assert.equal for money: equal to 1e-12 USD (sums of decimals are not exact in binary). */
export function closeTo(actual: number | null | undefined, expected: number, message?: string): void {
  if (typeof actual !== 'number' || Math.abs(actual - expected) > 1e-12) {
    throw new Error(`${message ?? 'amount'}: expected ${expected}, got ${String(actual)}`);
  }
}
