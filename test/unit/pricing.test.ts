import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLED_PRICE_DATA } from '../../src/core/pricing/bundledPrices';
import { costOfUsage, estimateCost } from '../../src/core/pricing/cost';
import { Pricing } from '../../src/core/pricing/pricing';
import { repositoryRoot } from '../support/repository';

/** Figures from OpenAI's published price list (USD per 1M tokens: input / cached input / output). */
const PUBLISHED: Array<[string, number, number | undefined, number | undefined]> = [
  ['gpt-4o-mini', 0.15, 0.075, 0.6],
  ['gpt-4o', 2.5, 1.25, 10],
  ['gpt-4.1', 2, 0.5, 8],
  ['gpt-4.1-mini', 0.4, 0.1, 1.6],
  ['gpt-4.1-nano', 0.1, 0.025, 0.4],
  ['gpt-5', 1.25, 0.125, 10],
  ['gpt-5-mini', 0.25, 0.025, 2],
  ['gpt-5-nano', 0.05, 0.005, 0.4],
  ['o3', 2, 0.5, 8],
  ['o4-mini', 1.1, 0.275, 4.4],
  ['gpt-6-luna', 0.1, 0.01, 0.5],
  ['gpt-6-sol', 2, 0.2, 10],
  ['gpt-3.5-turbo', 0.5, undefined, 1.5],
  ['text-embedding-3-small', 0.02, undefined, undefined],
  ['text-embedding-3-large', 0.13, undefined, undefined],
];

const AT = new Date('2026-11-26T00:00:00Z');

describe('bundled prices', () => {
  const pricing = new Pricing({}, () => AT);
  for (const [model, input, cachedInput, output] of PUBLISHED) {
    it(`${model}: ${input} / ${cachedInput ?? '-'} / ${output ?? '-'} per 1M`, () => {
      const price = pricing.priceFor(model);
      assert.ok(price, `no price for ${model}`);
      assert.equal(price.rates.input, input);
      assert.equal(price.rates.cachedInput, cachedInput);
      assert.equal(price.rates.output, output);
      assert.equal(price.source.kind, 'bundled');
      assert.equal(price.source.asOf, BUNDLED_PRICE_DATA.asOf);
    });
  }

  it('dated snapshot names resolve to the family price', () => {
    assert.equal(new Pricing({}, () => AT).priceFor('gpt-4o-2024-08-06')?.rates.input, 2.5);
  });

  it('an unknown model has no price (never $0)', () => {
    assert.equal(new Pricing({}, () => AT).priceFor('gpt-9-ultra'), undefined);
    assert.equal(new Pricing({}, () => AT).priceFor('my-azure-deployment'), undefined);
  });

  it('the long-context tier applies above 272K input tokens', () => {
    const price = new Pricing({}, () => AT).priceFor('gpt-6-sol');
    assert.ok(price?.longContext);
    assert.equal(estimateCost(price, 100_000, 0).input, 0.2);
    assert.equal(estimateCost(price, 300_000, 0).input, 1.2);
  });

  it('the recorded data date belongs to the installed package version', () => {
    const installed = JSON.parse(
      readFileSync(path.join(repositoryRoot(), 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'),
    ) as { version: string };
    assert.equal(
      installed.version,
      BUNDLED_PRICE_DATA.version,
      'price data updated: set BUNDLED_PRICE_DATA.version and asOf',
    );
  });
});

describe('overrides', () => {
  it('an override wins over bundled data', () => {
    const pricing = new Pricing({ 'gpt-4o': { input: 2, cachedInput: 1, output: 8 } }, () => AT);
    const price = pricing.priceFor('gpt-4o');
    assert.deepEqual(price?.rates, { input: 2, cachedInput: 1, output: 8 });
    assert.equal(price?.source.kind, 'override');
  });
  it('a local model priced at $0 is a known price of zero', () => {
    const price = new Pricing({ 'llama-3.1-8b': { input: 0, output: 0 } }, () => AT).priceFor('llama-3.1-8b');
    assert.ok(price);
    assert.equal(estimateCost(price, 1000, 1000).total, 0);
  });
  it('a partial override adjusts the bundled price', () => {
    const price = new Pricing({ 'gpt-4o-mini': { output: 0.5 } }, () => AT).priceFor('gpt-4o-mini');
    assert.deepEqual(price?.rates, { input: 0.15, cachedInput: 0.075, output: 0.5 });
  });
});

describe('costs', () => {
  const price = new Pricing({}, () => AT).priceFor('gpt-4o-mini')!;
  it('estimates input, cached input, output bound, total and batch total', () => {
    const cost = estimateCost(price, 1_000_000, 500_000);
    assert.equal(cost.input, 0.15);
    assert.equal(cost.cachedInput, 0.075);
    assert.equal(cost.outputMax, 0.3);
    assert.ok(Math.abs(cost.total - 0.45) < 1e-12);
    assert.ok(Math.abs(cost.batchTotal - 0.225) < 1e-12);
  });
  it('bills cached tokens at the cached rate and halves Batch API usage', () => {
    const usage = { promptTokens: 2_000_000, cachedTokens: 1_000_000, completionTokens: 1_000_000 };
    assert.ok(Math.abs(costOfUsage(price, usage) - (0.15 + 0.075 + 0.6)) < 1e-12);
    assert.ok(Math.abs(costOfUsage(price, usage, { batchApi: true }) - (0.15 + 0.075 + 0.6) / 2) < 1e-12);
  });
});
