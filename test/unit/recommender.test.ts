import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { loadedTokenizers, testEstimator } from '../support/estimator';
import { MODEL_CATALOG } from '../../src/core/models/modelCatalog';
import { Pricing } from '../../src/core/pricing/pricing';
import { estimateCost } from '../../src/core/pricing/cost';

const tokenizers = loadedTokenizers();

async function recommendationFor(model: string, task: string, body = 'Hello there.', maxTokens = 200, overrides = {}) {
  const text = `---\nmodel: ${model}\nmax_tokens: ${maxTokens}\ntask: ${task}\n---\n${body}\n`;
  const estimator = testEstimator(tokenizers, overrides);
  const file = await estimator.estimate(parsePromptFile('r.prompt.md', text, 'prompt-markdown'), text);
  return file.estimates[0]!;
}

describe('recommendModel', () => {
  it('recommends the cheapest non-legacy model whose tier fits the task, with the saving', async () => {
    const estimate = await recommendationFor('gpt-4o', 'classify');
    const recommendation = estimate.recommendation!;
    const pricing = new Pricing({}, () => new Date('2026-11-26'));
    const eligible = MODEL_CATALOG.filter((model) => !model.legacy && model.kind === 'chat');
    const cheapest = eligible
      .map((model) => ({ id: model.id, total: estimateCost(pricing.priceFor(model.id)!, estimate.inputTokens, 200).total }))
      .sort((left, right) => left.total - right.total)[0]!;
    assert.equal(recommendation.model, cheapest.id);
    assert.ok(Math.abs(recommendation.saving - (estimate.cost!.total - recommendation.cost.total)) < 1e-15);
    assert.ok(recommendation.savingFraction > 0.5);
  });

  it('respects the task tier: code needs tier 3 or above', async () => {
    const recommendation = (await recommendationFor('gpt-6-astra', 'code')).recommendation!;
    const model = MODEL_CATALOG.find((entry) => entry.id === recommendation.model)!;
    assert.ok(model.tier >= 3, `${model.id} is tier ${model.tier}`);
  });

  it('says nothing when the current model is already the cheapest fit', async () => {
    const cheapest = (await recommendationFor('gpt-4o', 'classify')).recommendation!.model;
    assert.equal((await recommendationFor(cheapest, 'classify')).recommendation, undefined);
  });

  it('never recommends a model whose context window cannot hold the prompt', async () => {
    const long = 'word '.repeat(300_000);
    const recommendation = (await recommendationFor('gpt-6-astra', 'summarize', long, 500)).recommendation;
    assert.ok(recommendation);
    const model = MODEL_CATALOG.find((entry) => entry.id === recommendation.model)!;
    assert.ok(model.contextWindow >= 300_000, `${model.id} has ${model.contextWindow}`);
  });

  it('considers overrides that declare a tier (a $0 local model wins)', async () => {
    const recommendation = (await recommendationFor('gpt-4o', 'qa', 'Hi', 100, { 'local-llama': { input: 0, output: 0, tier: 2, contextWindow: 32000, maxOutput: 4096 } })).recommendation;
    assert.equal(recommendation?.model, 'local-llama');
  });

  it('embedding prompts are only compared with embedding models', async () => {
    const line = JSON.stringify({ custom_id: 'e', method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-large', input: 'hello' } });
    await tokenizers.load('cl100k_base');
    const estimator = testEstimator(tokenizers);
    const file = await estimator.estimate(parsePromptFile('e.jsonl', line, 'batch-jsonl'), line);
    assert.equal(file.estimates[0]!.recommendation?.model, 'text-embedding-3-small');
  });
});
