import { after, before } from 'node:test';
import { Estimator } from '../../src/core/estimate/estimator';
import type { PriceOverrides } from '../../src/core/pricing/priceOverride';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import { tokenizerAssets } from './repository';

/** One shared tokenizer for a test file (loading costs ~250 ms). */
export function testTokenizers(): Tokenizers {
  return new Tokenizers(tokenizerAssets());
}

/** A tokenizer with o200k_base loaded before the calling test file's tests and freed after them. */
export function loadedTokenizers(): Tokenizers {
  const tokenizers = testTokenizers();
  before(async () => {
    await tokenizers.load('o200k_base');
  });
  after(() => tokenizers.dispose());
  return tokenizers;
}

export function testEstimator(
  tokenizers: Tokenizers,
  overrides: PriceOverrides = {},
  defaultModel = 'gpt-4o-mini',
): Estimator {
  return new Estimator(
    tokenizers,
    { defaultModel, pricingOverrides: overrides, maxFileBytes: 2 * 1024 * 1024 },
    () => new Date('2026-11-26T00:00:00Z'),
  );
}
