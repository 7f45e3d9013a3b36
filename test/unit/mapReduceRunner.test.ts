import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { splitDocument } from '../../src/core/chunking/documentChunker';
import { planMapReduce } from '../../src/core/chunking/mapReducePlan';
import type { MapReducePlan } from '../../src/core/chunking/mapReducePlanTypes';
import { runMapReduce, type CompletionRequest, type CompletionResult } from '../../src/core/chunking/mapReduceRunner';
import type { PriceOverrides } from '../../src/core/pricing/priceOverride';
import { Pricing } from '../../src/core/pricing/pricing';
import { countChatTokens } from '../../src/core/tokens/chatFraming';
import type { TokenCounter } from '../../src/core/tokens/tokenCounter';
import { testTokenizers } from '../support/estimator';

const tokenizers = testTokenizers();
let counter: TokenCounter;
before(async () => {
  counter = await tokenizers.load('o200k_base');
});
after(() => tokenizers.dispose());

const OVERRIDES: PriceOverrides = {
  'test-nano': { input: 0.1, output: 0.4, contextWindow: 1_000_000, maxOutput: 32_768 },
  'test-mini': { input: 0.4, output: 1.6, contextWindow: 128_000, maxOutput: 16_384 },
};
const pricing = new Pricing(OVERRIDES, () => new Date('2026-11-26T00:00:00Z'));

const words = (count: number, from = 0) =>
  Array.from({ length: count }, (_, index) => ['river', 'stone', 'cloud', 'field'][(index + from) % 4]).join(' ');
const DOCUMENT = Array.from({ length: 10 }, (_, index) => `Chapter ${index}. ${words(150, index)}.`).join('\n\n');

function planFor(text: string, options: { chunkTokens?: number; reduceInputBudget?: number } = {}): MapReducePlan {
  return planMapReduce({
    document: { text, chunks: splitDocument(text, counter, { maxTokens: options.chunkTokens ?? 200 }) },
    mapTemplate: 'Summarize:\n\n{{chunk}}',
    reduceTemplate: 'Combine:\n\n{{partials}}',
    mapModel: 'test-nano',
    reduceModel: 'test-mini',
    mapMaxTokens: 100,
    reduceMaxTokens: 100,
    ...(options.reduceInputBudget === undefined ? {} : { reduceInputBudget: options.reduceInputBudget }),
    counter,
    pricing,
    overrides: OVERRIDES,
  });
}

/** Lets other promises run: `ticks` turns of the event loop, no wall-clock time. */
async function yieldTicks(ticks: number): Promise<void> {
  for (let tick = 0; tick < ticks; tick++) await new Promise((resolve) => setImmediate(resolve));
}

/** A fake model that records requests; answers come from `answer`, later chunks finish first. */
function fakeModel(
  answer: (request: CompletionRequest) => string,
  cost: (request: CompletionRequest) => number | null = () => 0.001,
) {
  const requests: CompletionRequest[] = [];
  const state = { inFlight: 0, maxInFlight: 0 };
  const complete = async (request: CompletionRequest): Promise<CompletionResult> => {
    requests.push(request);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      const chunk = /^map-(\d+)$/.exec(request.jobId);
      await yieldTicks(chunk ? 20 - Number(chunk[1]) : 1);
      request.signal.throwIfAborted();
      const text = answer(request);
      assert.ok(counter.count(text) <= request.maxTokens, 'a model never writes more than max_tokens');
      return {
        text,
        usage: {
          promptTokens: countChatTokens(counter, request.messages).total,
          completionTokens: counter.count(text),
          cachedTokens: 0,
        },
        costUsd: cost(request),
      };
    } finally {
      state.inFlight--;
    }
  };
  return { complete, requests, state };
}

const partialsIn = (request: CompletionRequest) =>
  request.messages[0]!.content.replace(/^Combine:\n\n/, '').split('\n\n---\n\n');

describe('runMapReduce', () => {
  it('maps every chunk with bounded concurrency and keeps partials in chunk order', async () => {
    const plan = planFor(DOCUMENT);
    const chunks = plan.chunks!;
    assert.ok(chunks.length >= 8);
    const model = fakeModel((request) =>
      request.jobId.startsWith('map') ? `notes on ${request.jobId}` : 'final summary',
    );
    const result = await runMapReduce(plan, model.complete, { counter, concurrency: 3 });
    assert.equal(model.state.maxInFlight, 3);
    assert.deepEqual(
      result.partials,
      chunks.map((chunk) => `notes on map-${chunk.index}`),
    );
    const mapRequests = model.requests.filter((request) => request.jobId.startsWith('map'));
    assert.deepEqual(
      mapRequests.map((request) => request.jobId),
      chunks.map((chunk) => `map-${chunk.index}`),
      'started in order',
    );
    for (const request of mapRequests) {
      assert.equal(request.model, 'test-nano');
      assert.equal(request.maxTokens, 100);
      assert.deepEqual(request.messages, [
        { role: 'user', content: `Summarize:\n\n${chunks[Number(request.jobId.slice(4))]!.text}` },
      ]);
    }
    assert.deepEqual(
      result.calls.map((call) => call.jobId),
      [...chunks.map((chunk) => `map-${chunk.index}`), 'reduce-1-0'],
      'finished out of order, reported in order',
    );
    const reduce = model.requests.at(-1)!;
    assert.equal(reduce.model, 'test-mini');
    assert.deepEqual(partialsIn(reduce), result.partials);
    assert.equal(result.answer, 'final summary');
    assert.equal(result.levels, 1, 'short partials fit one reduce call');
    assert.ok(Math.abs(result.costUsd! - 0.001 * (chunks.length + 1)) < 1e-12);
    assert.equal(
      result.usage.promptTokens,
      plan.map.totalInputTokens + countChatTokens(counter, reduce.messages).total,
    );
  });

  it('recurses when partials do not fit one reduce call, as the plan bounded', async () => {
    const separator = counter.count('\n\n---\n\n');
    const budget =
      countChatTokens(counter, [{ role: 'user', content: 'Combine:\n\n' }]).total + 3 * 101 + 2 * separator;
    const plan = planFor(DOCUMENT, { reduceInputBudget: budget });
    assert.ok(plan.reduceLevels.length >= 3, `the plan needs ${plan.reduceLevels.length} levels`);
    // Answers at their cap: 100 tokens each, exactly the size the plan assumed.
    const model = fakeModel((request) => words(request.maxTokens, request.jobId.length));
    const result = await runMapReduce(plan, model.complete, { counter, concurrency: 4 });
    assert.equal(result.levels, plan.reduceLevels.length);
    for (const level of plan.reduceLevels) {
      const calls = result.calls.filter((call) => call.stage === 'reduce' && call.level === level.level);
      assert.deepEqual(
        calls.map((call) => call.inputs.length),
        level.groupSizes,
        `level ${level.level} groups`,
      );
      assert.deepEqual(
        calls.map((call) => call.jobId),
        level.groupSizes.map((_, index) => `reduce-${level.level}-${index}`),
      );
    }
    for (const request of model.requests.filter((entry) => entry.jobId.startsWith('reduce'))) {
      assert.ok(
        countChatTokens(counter, request.messages).total <= budget,
        `${request.jobId} fits the reduce input budget`,
      );
    }
    const firstReduce = model.requests.find((request) => request.jobId === 'reduce-1-0')!;
    assert.deepEqual(partialsIn(firstReduce), result.partials.slice(0, 3), 'partials combined in chunk order');
    assert.equal(result.answer, words(100, 'reduce-3-0'.length));
    assert.equal(result.calls.length, plan.totalCalls);
  });

  it('still shapes a one-chunk document with one reduce call', async () => {
    const plan = planFor('A short memo. Nothing else.');
    const model = fakeModel((request) => (request.jobId === 'map-0' ? 'memo notes' : 'memo summary'));
    const result = await runMapReduce(plan, model.complete, { counter });
    assert.deepEqual(
      model.requests.map((request) => request.jobId),
      ['map-0', 'reduce-1-0'],
    );
    assert.equal(result.answer, 'memo summary');
    assert.equal(plan.necessity, 'unnecessary');
  });

  it('propagates the first error, starts nothing after it and aborts calls in flight', async () => {
    const plan = planFor(DOCUMENT);
    const failure = new Error('boom');
    const model = fakeModel(() => 'ok');
    const complete = (request: CompletionRequest) =>
      request.jobId === 'map-2' ? Promise.reject(failure) : model.complete(request);
    await assert.rejects(runMapReduce(plan, complete, { counter, concurrency: 2 }), (error) => error === failure);
    const started = model.requests.map((request) => request.jobId);
    assert.deepEqual(started, ['map-0', 'map-1'], 'map-3 and later never started; no reduce');
    assert.ok(
      model.requests.every((request) => request.signal.aborted),
      'calls in flight were told to stop',
    );
  });

  it('stops on abort with the abort reason', async () => {
    const plan = planFor(DOCUMENT);
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const model = fakeModel(() => 'ok');
    const complete = (request: CompletionRequest) => {
      if (request.jobId === 'map-1') controller.abort(reason);
      return model.complete(request);
    };
    await assert.rejects(
      runMapReduce(plan, complete, { counter, concurrency: 2, signal: controller.signal }),
      (error) => error === reason,
    );
    assert.deepEqual(
      model.requests.map((request) => request.jobId),
      ['map-0', 'map-1'],
    );

    const before = model.requests.length;
    await assert.rejects(
      runMapReduce(plan, model.complete, { counter, signal: controller.signal }),
      (error) => error === reason,
    );
    assert.equal(model.requests.length, before, 'an aborted signal starts nothing');
  });

  it('reports an unknown cost as null, and refuses plans it cannot run', async () => {
    const plan = planFor(DOCUMENT);
    const model = fakeModel(
      () => 'ok',
      (request) => (request.jobId === 'map-1' ? null : 0.002),
    );
    assert.equal((await runMapReduce(plan, model.complete, { counter })).costUsd, null);

    const estimateOnly = planMapReduce({
      ...plan.job,
      document: { documentTokens: 5_000, chunkTokens: 1_000 },
      counter,
      pricing,
      overrides: OVERRIDES,
    });
    await assert.rejects(runMapReduce(estimateOnly, model.complete, { counter }), /made from a token count/);
    const impossible = planMapReduce({
      ...plan.job,
      mapMaxTokens: 70_000,
      document: { text: DOCUMENT, chunks: plan.chunks! },
      counter,
      pricing,
      overrides: OVERRIDES,
    });
    await assert.rejects(runMapReduce(impossible, model.complete, { counter }), /cannot run: mapMaxTokens 70000/);
  });
});
