import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readChunkSettings, type ChunkSettingsProblem } from '../../src/core/chunking/chunkSettings';
import { splitDocument } from '../../src/core/chunking/documentChunker';
import { findFileIncludes } from '../../src/core/chunking/fileIncludes';
import { planMapReduce, type MapReducePlanInput } from '../../src/core/chunking/mapReducePlan';
import { compareWithSingleCall } from '../../src/core/chunking/singleCallComparison';
import { MODEL_CATALOG } from '../../src/core/models/modelCatalog';
import { estimateCost } from '../../src/core/pricing/cost';
import type { PriceOverrides } from '../../src/core/pricing/priceOverride';
import { Pricing } from '../../src/core/pricing/pricing';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { testTokenizers } from '../support/estimator';

const tokenizers = testTokenizers();
let counter: TokenCounter;
before(async () => {
  counter = await tokenizers.load('o200k_base');
});
after(() => tokenizers.dispose());

/** Prices in USD per 1M tokens, written here so every cost below can be checked by hand. */
const OVERRIDES: PriceOverrides = {
  'test-nano': { input: 0.1, output: 0.4, contextWindow: 1_000_000, maxOutput: 32_768 },
  'test-mini': { input: 0.4, output: 1.6, contextWindow: 128_000, maxOutput: 16_384 },
  'test-small': { input: 1, output: 2, contextWindow: 8_000, maxOutput: 4_000 },
  'free-local': { input: 0, output: 0, contextWindow: 128_000, maxOutput: 4_096 },
  'test-wide': { input: 0.05, output: 0.2, contextWindow: 2_000_000, maxOutput: 32_768, tier: 2 },
  'test-basic': { input: 0.01, output: 0.01, contextWindow: 2_000_000, maxOutput: 32_768, tier: 1 },
};
const pricing = new Pricing(OVERRIDES, () => new Date('2026-11-26T00:00:00Z'));
const MAP = 'Summarize:\n\n{{chunk}}';
const REDUCE = 'Combine:\n\n{{partials}}';
const PER_MILLION = 1_000_000;

/** Chat framing with one user message: 3 per message + 1 for the role `user` + 3 reply priming. */
const userMessageTokens = (content: string) => counter.count(content) + 7;

function plan(overrides: Partial<MapReducePlanInput> = {}) {
  return planMapReduce({
    document: { documentTokens: 10_000, chunkTokens: 2_000 },
    mapTemplate: MAP,
    reduceTemplate: REDUCE,
    mapModel: 'test-nano',
    reduceModel: 'test-mini',
    mapMaxTokens: 300,
    reduceMaxTokens: 800,
    counter,
    pricing,
    overrides: OVERRIDES,
    ...overrides,
  });
}

const words = (count: number) =>
  Array.from({ length: count }, (_, index) => ['river', 'stone', 'cloud', 'field'][index % 4]).join(' ');

describe('planMapReduce', () => {
  it('counts each map call exactly: system + map prompt with the chunk + chat framing', () => {
    const text = Array.from({ length: 12 }, (_, index) => `Part ${index}. ${words(80)}.`).join('\n\n');
    const chunks = splitDocument(text, counter, { maxTokens: 250 });
    const system = 'You summarize reports.';
    const result = plan({ document: { text, chunks }, systemPrompt: system });
    assert.equal(result.approximate, false);
    assert.equal(result.map.calls, chunks.length);
    chunks.forEach((chunk, index) => {
      // system: 3 + 1 (role) + content; user: 3 + 1 + content; priming 3.
      const expected = counter.count(system) + counter.count(`Summarize:\n\n${chunk.text}`) + 11;
      assert.equal(result.map.inputTokens[index], expected, `map call ${index}`);
    });
    assert.equal(result.documentTokens, counter.count(text));
    assert.equal(result.singleCall.inputTokens, counter.count(system) + counter.count(`Combine:\n\n${text}`) + 11);
  });

  it('costs add up by hand from the prices in this test (standard and Batch API)', () => {
    const result = plan();
    const mapInput = userMessageTokens('Summarize:\n\n') + 2000 + 1;
    const separator = counter.count('\n\n---\n\n');
    const reduceInput = userMessageTokens('Combine:\n\n') + 5 * (300 + 1) + 4 * separator;
    assert.deepEqual(result.map.inputTokens, [mapInput, mapInput, mapInput, mapInput, mapInput]);
    assert.deepEqual(
      result.reduceLevels.map((level) => [level.groupSizes, level.inputTokens]),
      [[[5], [reduceInput]]],
    );
    const expected = (5 * mapInput * 0.1 + 5 * 300 * 0.4 + reduceInput * 0.4 + 800 * 1.6) / PER_MILLION;
    assert.ok(Math.abs(result.cost!.total - expected) < 1e-15, `${result.cost!.total} vs ${expected}`);
    assert.ok(Math.abs(result.cost!.batchTotal - expected / 2) < 1e-15);
    assert.equal(result.totalCalls, 6);
    assert.equal(result.totalInputTokens, 5 * mapInput + reduceInput);
    assert.equal(result.totalOutputTokens, 5 * 300 + 800);
    assert.equal(result.approximate, true);
    assert.equal(result.necessity, 'optional', result.reason);
    assert.match(result.reason, /fits in one call on test-mini/);
  });

  it('recurses for many chunks: 200 partials, 4 per reduce call → 50 → 13 → 4 → 1', () => {
    const base = userMessageTokens('Combine:\n\n');
    const separator = counter.count('\n\n---\n\n');
    const budget = base + 4 * 301 + 3 * separator;
    const result = plan({
      document: { documentTokens: 200_000, chunkTokens: 1_000 },
      mapMaxTokens: 300,
      reduceMaxTokens: 300,
      reduceInputBudget: budget,
    });
    assert.equal(result.map.calls, 200);
    assert.deepEqual(
      result.reduceLevels.map((level) => level.groupSizes),
      [new Array(50).fill(4), [...new Array(12).fill(4), 2], [4, 4, 4, 1], [4]],
    );
    for (const level of result.reduceLevels) {
      level.groupSizes.forEach((size, index) =>
        assert.equal(level.inputTokens[index], base + size * 301 + (size - 1) * separator),
      );
      assert.ok(level.inputTokens.every((tokens) => tokens <= budget));
    }
    assert.ok(base + 5 * 301 + 4 * separator > budget, 'a fifth partial would not fit');
    assert.equal(result.totalCalls, 200 + 50 + 13 + 4 + 1);
    assert.equal(result.necessity, 'required', 'test-mini holds 128 000 tokens, the document has 200 000');
  });

  it("groups reduce calls by the reduce model's context window after its max_tokens", () => {
    const result = plan({
      document: { documentTokens: 60_000, chunkTokens: 1_000 },
      reduceModel: 'test-small',
      reduceMaxTokens: 800,
    });
    assert.equal(result.reduceBudget.limit, 8_000 - 800);
    const base = userMessageTokens('Combine:\n\n');
    const separator = counter.count('\n\n---\n\n');
    const perCall = Math.floor((7_200 - base + separator) / (301 + separator));
    assert.equal(result.reduceLevels[0]!.groupSizes[0], perCall);
    assert.ok(base + (perCall + 1) * 301 + perCall * separator > 7_200);
    assert.equal(result.necessity, 'required', result.reason);
    assert.match(result.reason, /context window of 8000/);
  });

  it('says map-reduce is unnecessary when the document fits in one chunk', () => {
    const text = 'A short memo. It has two sentences.';
    const result = plan({ document: { text, chunks: splitDocument(text, counter, { maxTokens: 2000 }) } });
    assert.equal(result.necessity, 'unnecessary');
    assert.match(result.reason, /fits in one chunk/);
    assert.equal(result.totalCalls, 2, 'one map call and the reduce call that shapes the answer');
  });

  it('reports a plan that cannot run instead of recursing forever', () => {
    const tooLarge = plan({ reduceModel: 'test-small', mapMaxTokens: 4_000, reduceMaxTokens: 800 });
    assert.equal(tooLarge.feasible, false);
    assert.match(tooLarge.problems.join(' '), /two partial answers of up to 4000 tokens do not fit/);
    assert.equal(tooLarge.cost, undefined);
    const overCap = plan({ mapMaxTokens: 40_000 });
    assert.equal(overCap.feasible, false);
    assert.match(overCap.problems.join(' '), /mapMaxTokens 40000 is above test-nano's largest max_tokens of 32768/);
  });

  it('plans without a price but says so', () => {
    const result = plan({ mapModel: 'my-local-model' });
    assert.equal(result.feasible, true);
    assert.equal(result.cost, undefined);
    assert.equal(result.map.cost, undefined);
    assert.ok(result.reduceLevels[0]!.cost);
    assert.match(result.problems.join(' '), /No price is known for my-local-model/);
  });
});

describe('compareWithSingleCall', () => {
  it('is honest when one call is cheaper: negative saving', () => {
    const result = plan({ mapModel: 'test-mini' });
    const comparison = compareWithSingleCall(result, pricing, { overrides: OVERRIDES });
    assert.equal(comparison.minimumTier, 2);
    assert.equal(comparison.singleCall?.model, 'test-wide');
    const singleInput = userMessageTokens('Combine:\n\n') + 10_000 + 1;
    const single = (singleInput * 0.05 + 800 * 0.2) / PER_MILLION;
    assert.ok(Math.abs(comparison.singleCall!.cost.total - single) < 1e-15);
    assert.ok(Math.abs(comparison.saving! - (single - result.cost!.total)) < 1e-15);
    assert.ok(comparison.saving! < 0);
    assert.match(comparison.summary, /more than one call with the whole document on test-wide/);
  });

  it('shows the saving when map-reduce is cheaper', () => {
    const result = plan({ mapModel: 'free-local', reduceModel: 'free-local' });
    const comparison = compareWithSingleCall(result, pricing, { overrides: OVERRIDES });
    assert.equal(result.cost!.total, 0);
    assert.ok(Math.abs(comparison.saving! - comparison.singleCall!.cost.total) < 1e-18);
    assert.ok(comparison.saving! > 0);
    assert.ok(Math.abs(comparison.batchSaving! - comparison.saving! / 2) < 1e-18);
    assert.match(comparison.summary, /less than one call/);
  });

  it("uses the task's minimum tier: a classify task may use a tier-1 model", () => {
    const result = plan();
    assert.equal(compareWithSingleCall(result, pricing, { overrides: OVERRIDES }).singleCall?.model, 'test-wide');
    assert.equal(
      compareWithSingleCall(result, pricing, { overrides: OVERRIDES, task: 'classify' }).singleCall?.model,
      'test-basic',
    );
  });

  it('says so when no model can hold the whole document', () => {
    const comparison = compareWithSingleCall(
      plan({ document: { documentTokens: 3_000_000, chunkTokens: 2_000 } }),
      pricing,
      { overrides: OVERRIDES },
    );
    assert.equal(comparison.singleCall, undefined);
    assert.equal(comparison.saving, undefined);
    assert.match(
      comparison.summary,
      /No priced model of tier 2 or above has a context window for the whole document.*only way/,
    );
  });

  it('picks the cheapest adequate catalog model whose context fits (bundled prices)', () => {
    const catalogPricing = new Pricing({}, () => new Date('2026-11-26T00:00:00Z'));
    const result = planMapReduce({
      document: { documentTokens: 300_000, chunkTokens: 2_000 },
      mapTemplate: MAP,
      reduceTemplate: REDUCE,
      mapModel: 'gpt-4.1-nano',
      reduceModel: 'gpt-4.1-mini',
      mapMaxTokens: 300,
      reduceMaxTokens: 800,
      counter,
      pricing: catalogPricing,
    });
    const comparison = compareWithSingleCall(result, catalogPricing);
    const { inputTokens, outputTokens } = result.singleCall;
    const expected = MODEL_CATALOG.filter(
      (model) =>
        !model.legacy && model.kind === 'chat' && model.tier >= 2 && model.contextWindow >= inputTokens + outputTokens,
    )
      .map((model) => ({
        id: model.id,
        total: estimateCost(catalogPricing.priceFor(model.id)!, inputTokens, outputTokens).total,
      }))
      .sort((left, right) => left.total - right.total || left.id.localeCompare(right.id))[0]!;
    assert.equal(comparison.singleCall?.model, expected.id);
    assert.ok(comparison.singleCall!.contextWindow >= inputTokens + outputTokens);
  });
});

describe('readChunkSettings and findFileIncludes', () => {
  const read = (frontMatter: Record<string, unknown>, promptMaxTokens?: number) => {
    const problems: ChunkSettingsProblem[] = [];
    return { settings: readChunkSettings(frontMatter, (problem) => problems.push(problem), promptMaxTokens), problems };
  };

  it('reads the documented shape', () => {
    const { settings, problems } = read({
      model: 'gpt-4.1-mini',
      chunk: {
        document: 'docs/report.md',
        maxTokens: 1500,
        overlapTokens: 100,
        map: 'Summarize:\n\n{{chunk}}',
        mapMaxTokens: 250,
        reduce: 'Combine:\n\n{{ partials }}',
        reduceMaxTokens: 700,
        reduceInputBudget: 20_000,
        model: 'gpt-4.1-nano',
        maxWords: 500,
      },
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      document: 'docs/report.md',
      maxTokens: 1500,
      maxWords: 500,
      overlapTokens: 100,
      map: 'Summarize:\n\n{{chunk}}',
      mapMaxTokens: 250,
      reduce: 'Combine:\n\n{{ partials }}',
      reduceMaxTokens: 700,
      reduceInputBudget: 20_000,
      model: 'gpt-4.1-nano',
    });
  });

  it("fills defaults; reduceMaxTokens falls back to the prompt's max_tokens, then 800", () => {
    assert.equal(read({}).settings, undefined);
    assert.equal(read({ chunk: false }).settings, undefined);
    const fromTrue = read({ chunk: true, max_tokens: 1200 }).settings!;
    assert.deepEqual(
      [fromTrue.document, fromTrue.maxTokens, fromTrue.overlapTokens, fromTrue.mapMaxTokens, fromTrue.reduceMaxTokens],
      [undefined, 2000, 0, 300, 1200],
    );
    assert.equal(read({ chunk: 'docs/a.md' }).settings!.document, 'docs/a.md');
    assert.equal(read({ chunk: {} }).settings!.reduceMaxTokens, 800);
    assert.equal(read({ chunk: {}, max_tokens: 1200 }, 900).settings!.reduceMaxTokens, 900);
  });

  it('turns invalid values into messages and defaults, never exceptions', () => {
    const { settings, problems } = read({
      chunk: {
        maxTokens: -5,
        overlapTokens: 5000,
        map: 'Summarize this.',
        reduce: 42,
        mapMaxTokens: 2.5,
        colour: 'red',
      },
    });
    assert.equal(settings!.maxTokens, 2000);
    assert.equal(settings!.overlapTokens, 0);
    assert.equal(settings!.map, 'Summarize this.');
    assert.match(settings!.reduce, /\{\{partials\}\}/);
    assert.equal(settings!.mapMaxTokens, 300);
    assert.deepEqual(problems.map((problem) => problem.key).sort(), [
      'chunk.colour',
      'chunk.map',
      'chunk.mapMaxTokens',
      'chunk.maxTokens',
      'chunk.overlapTokens',
      'chunk.reduce',
    ]);
    assert.match(
      problems.find((problem) => problem.key === 'chunk.map')!.message,
      /no \{\{chunk\}\} placeholder; the chunk text is appended/,
    );
    const broken = read({ chunk: [1, 2] });
    assert.equal(broken.settings, undefined);
    assert.deepEqual(
      broken.problems.map((problem) => problem.severity),
      ['error'],
    );
  });

  it('finds {{file:path}} placeholders with exact offsets', () => {
    const text = 'Read {{file:docs/report.md}} and {{ file: "notes/my notes.md" }}, not {{filename}} or {{file:}}.';
    const includes = findFileIncludes(text);
    assert.deepEqual(
      includes.map((include) => include.path),
      ['docs/report.md', 'notes/my notes.md'],
    );
    for (const include of includes) assert.match(text.slice(include.start, include.end), /^\{\{.*\}\}$/);
    assert.equal(includes[0]!.start, 5);
    assert.equal(includes[0]!.end, 5 + '{{file:docs/report.md}}'.length);
  });
});
