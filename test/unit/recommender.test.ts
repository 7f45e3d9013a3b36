import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { loadedTokenizers, testEstimator } from '../support/estimator';
import { estimatePrompt } from '../../src/core/estimate/estimatePrompt';
import { editsForModel } from '../../src/core/estimate/recommender';
import { requestProblems } from '../../src/core/models/requestRules';
import { resolveModel } from '../../src/core/models/resolveModel';
import { applyPromptChanges } from '../../src/core/prompts/applyPromptChanges';
import { MODEL_CATALOG } from '../../src/core/models/modelCatalog';
import { Pricing } from '../../src/core/pricing/pricing';
import { estimateCost } from '../../src/core/pricing/cost';
import { DEFAULT_REASONING_TOKENS, REASONING_EFFORTS } from '../../src/core/models/reasoningEffort';

const tokenizers = loadedTokenizers();

async function recommendationFor(model: string, task: string, body = 'Hello there.', maxTokens = 200, overrides = {}) {
  const text = `---\nmodel: ${model}\nmax_tokens: ${maxTokens}\ntask: ${task}\n---\n${body}\n`;
  const estimator = testEstimator(tokenizers, overrides);
  const file = await estimator.estimate(parsePromptFile('r.prompt.md', text, 'prompt-markdown'), text);
  return file.estimates[0]!;
}

describe('recommendModel', () => {
  it('recommends the cheapest non-legacy model whose tier fits the task, reasoning models priced with room for reasoning', async () => {
    const estimate = await recommendationFor('gpt-4o', 'classify');
    const recommendation = estimate.recommendation!;
    const pricing = new Pricing({}, () => new Date('2026-11-26'));
    const eligible = MODEL_CATALOG.filter((model) => !model.legacy && model.kind === 'chat');
    // A reasoning model's cap must hold the 200-token answer plus twice the reasoning expected at its lowest effort.
    const bound = (model: (typeof eligible)[number]) => {
      const lowest = REASONING_EFFORTS.find((effort) => model.reasoningEfforts.includes(effort));
      return model.reasoning && lowest ? Math.ceil((200 + 2 * DEFAULT_REASONING_TOKENS[lowest]) / 8) * 8 : 200;
    };
    const cheapest = eligible
      .map((model) => ({
        id: model.id,
        total: estimateCost(pricing.priceFor(model.id)!, estimate.inputTokens, bound(model)).total,
      }))
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
    const recommendation = (
      await recommendationFor('gpt-4o', 'qa', 'Hi', 100, {
        'local-llama': { input: 0, output: 0, tier: 2, contextWindow: 32000, maxOutput: 4096 },
      })
    ).recommendation;
    assert.equal(recommendation?.model, 'local-llama');
  });

  it('embedding prompts are only compared with embedding models', async () => {
    const line = JSON.stringify({
      custom_id: 'e',
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-large', input: 'hello' },
    });
    await tokenizers.load('cl100k_base');
    const estimator = testEstimator(tokenizers);
    const file = await estimator.estimate(parsePromptFile('e.jsonl', line, 'batch-jsonl'), line);
    assert.equal(file.estimates[0]!.recommendation?.model, 'text-embedding-3-small');
  });

  it('prices a reasoning candidate with the edits that make it run: no temperature 0, a low effort, room for reasoning', async () => {
    // Only reasoning models are offered (tier 5 override set), so the edits must be made.
    const text = `---\nmodel: gpt-4o\nmax_tokens: 10\ntemperature: 0\ntask: classify\n---\nBilling or bug? "I was charged twice."\n`;
    const estimator = testEstimator(tokenizers);
    const parsed = parsePromptFile('c.prompt.md', text, 'prompt-markdown');
    const estimate = (await estimator.estimate(parsed, text)).estimates[0]!;
    const onlyReasoning = { ...estimator.options(), recommend: true };
    const nano = editsForModel({ task: 'classify', prompt: estimate.prompt, currentModel: 'gpt-4o' }, 'gpt-5-nano')!;
    assert.deepEqual(nano, [
      { kind: 'set-model', model: 'gpt-5-nano' },
      { kind: 'set-parameter', name: 'reasoning_effort', value: 'minimal' },
      { kind: 'remove-parameter', name: 'temperature' },
      { kind: 'set-max-tokens', value: Math.ceil((10 + 2 * DEFAULT_REASONING_TOKENS.minimal) / 8) * 8 },
    ]);
    // gpt-5.1 accepts temperature with effort none: nothing to drop, no cap to raise.
    const five1 = editsForModel({ task: 'classify', prompt: estimate.prompt, currentModel: 'gpt-4o' }, 'gpt-5.1')!;
    assert.deepEqual(five1, [{ kind: 'set-model', model: 'gpt-5.1' }]);
    // Every offered recommendation is valid on its model once applied.
    const recommendation = estimatePrompt(estimate.prompt, onlyReasoning).recommendation!;
    const applied = applyPromptChanges(estimate.prompt, recommendation.changes);
    assert.deepEqual(requestProblems(applied, resolveModel(recommendation.model)), []);
    assert.match(
      recommendation.summary,
      new RegExp(`^${recommendation.model.replace('.', '\\.')} · .*~\\$[0-9.]+ \\(−\\d+%\\)$`),
    );
  });

  it('prefers a candidate that needs no edits when it costs about the same as a cheaper one that does', async () => {
    const text = `---\nmodel: gpt-4o\nmax_tokens: 10\ntemperature: 0\ntask: classify\n---\nBilling or bug?\n`;
    const parsed = parsePromptFile('p.prompt.md', text, 'prompt-markdown');
    const inputTokens = (await testEstimator(tokenizers).estimate(parsed, text)).estimates[0]!.inputTokens;
    const reasonerCap = Math.ceil((10 + 2 * DEFAULT_REASONING_TOKENS.minimal) / 8) * 8;
    // The plain model's rate makes it 5% dearer than the reasoner at their bounds.
    const reasonerRate = 0.01;
    const plainRate = (reasonerRate * (inputTokens + reasonerCap) * 1.05) / (inputTokens + 10);
    const limits = { tier: 1 as const, maxOutput: 4096, contextWindow: 8000 };
    const overrides = {
      'cheap-reasoner': {
        input: reasonerRate,
        output: reasonerRate,
        reasoning: true,
        reasoningEfforts: ['minimal' as const],
        ...limits,
      },
      'plain-small': { input: plainRate, output: plainRate, ...limits },
    };
    const estimate = (await testEstimator(tokenizers, overrides).estimate(parsed, text)).estimates[0]!;
    assert.equal(estimate.recommendation?.model, 'plain-small');
    assert.deepEqual(estimate.recommendation.changes, [{ kind: 'set-model', model: 'plain-small' }]);
    // At 20% dearer the cheaper reasoner wins, with its edits.
    const dearer = {
      ...overrides,
      'plain-small': { ...overrides['plain-small'], input: plainRate * 1.2, output: plainRate * 1.2 },
    };
    const second = (await testEstimator(tokenizers, dearer).estimate(parsed, text)).estimates[0]!;
    assert.equal(second.recommendation?.model, 'cheap-reasoner');
    assert.equal(
      second.recommendation.summary.split(' · ').slice(0, 4).join(' · '),
      `cheap-reasoner · reasoning_effort minimal · drops temperature 0 · max_completion_tokens 10→${reasonerCap}`,
    );
  });
});
