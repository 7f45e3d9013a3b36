import { resolveModel, type ResolvedModel } from '../models/resolveModel';
import { estimateCost, type CostEstimate } from '../pricing/cost';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import { countChatTokens } from '../tokens/chatFraming';
import type { TokenCounter } from '../tokens/tokenCounter';
import {
  groupPartials,
  mapMessages,
  reduceBudget,
  reduceInputBound,
  reduceMessages,
  type ReduceBudget,
} from './mapReduceMessages';
import type {
  MapReduceJob,
  MapReduceNecessity,
  MapReducePlan,
  MapStage,
  PlanDocument,
  ReduceLevel,
} from './mapReducePlanTypes';

export interface MapReducePlanInput extends MapReduceJob {
  readonly document: PlanDocument;
  /** Most input tokens of one reduce call, on top of the reduce model's context window. */
  readonly reduceInputBudget?: number;
  /** Counts with the encoding of the models (all current OpenAI chat models share o200k_base). */
  readonly counter: TokenCounter;
  readonly pricing: Pricing;
  /** Context windows, output limits and prices of custom models. */
  readonly overrides?: PriceOverrides;
}

/**
 * Works out a map-reduce run before it is made: one map call per chunk (exact input tokens with chat
 * framing), then reduce levels that group partial answers so each reduce call's input — prompt plus
 * partials at their `max_tokens` — fits the reduce model's context window (after its own `max_tokens`)
 * and the optional reduce input budget, recursing until one call gives the answer. There is always at least
 * one reduce call, so the answer has the reduce prompt's shape. Costs are Σ of per-call estimates at the
 * output caps. Pure and deterministic; problems are reported in the plan, never thrown.
 */
export function planMapReduce(input: MapReducePlanInput): MapReducePlan {
  const { counter, pricing, overrides = {} } = input;
  const job = jobOf(input);
  const problems: string[] = [];
  const mapModel = resolveModel(job.mapModel, overrides);
  const reduceModel = resolveModel(job.reduceModel, overrides);
  const document = measureDocument(input);
  const budget = reduceBudget(
    counter,
    job.reduceTemplate,
    job.systemPrompt,
    reduceLimit(reduceModel, job.reduceMaxTokens, input.reduceInputBudget),
  );

  checkOutputCap(mapModel, job.mapMaxTokens, 'mapMaxTokens', problems);
  checkOutputCap(reduceModel, job.reduceMaxTokens, 'reduceMaxTokens', problems);
  if (document.mapInputs.length === 0) problems.push('The document is empty: there is nothing to send.');
  const largestMapInput = Math.max(0, ...document.mapInputs);
  if (mapModel.contextWindow !== undefined && largestMapInput + job.mapMaxTokens > mapModel.contextWindow) {
    problems.push(
      `The largest map call needs ${largestMapInput} input + ${job.mapMaxTokens} output tokens, more than ${job.mapModel}'s context window of ${mapModel.contextWindow}: lower chunk.maxTokens.`,
    );
  }
  if (budget.limit !== undefined && budget.limit <= budget.baseTokens) {
    problems.push(
      `The reduce prompt alone (${budget.baseTokens} tokens) leaves no room for partials under the reduce input limit of ${budget.limit} tokens.`,
    );
  }

  const mapPrice = pricing.priceFor(job.mapModel);
  const reducePrice = pricing.priceFor(job.reduceModel);
  const map: MapStage = {
    model: job.mapModel,
    calls: document.mapInputs.length,
    inputTokens: document.mapInputs,
    totalInputTokens: sum(document.mapInputs),
    outputCap: job.mapMaxTokens,
    cost: mapPrice
      ? sumCosts(document.mapInputs.map((tokens) => estimateCost(mapPrice, tokens, job.mapMaxTokens)))
      : undefined,
  };
  const reduceLevels = problems.length === 0 ? planReduceLevels(document.mapInputs.length, job, budget, problems) : [];
  const feasible = problems.length === 0;
  for (const [model, price] of [
    [job.mapModel, mapPrice],
    [job.reduceModel, reducePrice],
  ] as const) {
    if (!price) problems.push(`No price is known for ${model}: add it to promptmeter.pricing.overrides to see costs.`);
  }
  const levels = reduceLevels.map((level): ReduceLevel => ({
    ...level,
    cost: reducePrice
      ? sumCosts(level.inputTokens.map((tokens) => estimateCost(reducePrice, tokens, job.reduceMaxTokens)))
      : undefined,
  }));
  const stageCosts = [map.cost, ...levels.map((level) => level.cost)];
  const { necessity, reason } = necessityOf(document, job, reduceModel);
  return {
    necessity,
    reason,
    feasible,
    problems,
    approximate: document.approximate,
    documentTokens: document.documentTokens,
    ...(document.chunks ? { chunks: document.chunks } : {}),
    job,
    map,
    reduceLevels: levels,
    reduceBudget: budget,
    totalCalls: map.calls + sum(levels.map((level) => level.groupSizes.length)),
    totalInputTokens: map.totalInputTokens + sum(levels.map((level) => level.totalInputTokens)),
    totalOutputTokens:
      map.calls * job.mapMaxTokens + sum(levels.map((level) => level.groupSizes.length * job.reduceMaxTokens)),
    cost:
      feasible && stageCosts.every((cost) => cost !== undefined) ? sumCosts(stageCosts as CostEstimate[]) : undefined,
    singleCall: { inputTokens: document.singleCallInput, outputTokens: job.reduceMaxTokens },
  };
}

function jobOf(input: MapReducePlanInput): MapReduceJob {
  const { mapTemplate, reduceTemplate, systemPrompt, mapModel, reduceModel, mapMaxTokens, reduceMaxTokens } = input;
  return {
    mapTemplate,
    reduceTemplate,
    ...(systemPrompt === undefined ? {} : { systemPrompt }),
    mapModel,
    reduceModel,
    mapMaxTokens,
    reduceMaxTokens,
  };
}

interface MeasuredDocument {
  readonly documentTokens: number;
  readonly chunks?: MapReducePlan['chunks'];
  readonly mapInputs: number[];
  readonly singleCallInput: number;
  readonly approximate: boolean;
  readonly chunkTokens: number;
}

function measureDocument(input: MapReducePlanInput): MeasuredDocument {
  const { document, counter, mapTemplate, reduceTemplate, systemPrompt } = input;
  if ('text' in document) {
    const chunks = document.chunks;
    return {
      documentTokens: counter.count(document.text),
      chunks,
      mapInputs: chunks.map(
        (chunk) => countChatTokens(counter, mapMessages(mapTemplate, chunk.text, systemPrompt)).total,
      ),
      singleCallInput: countChatTokens(counter, reduceMessages(reduceTemplate, [document.text], systemPrompt)).total,
      approximate: false,
      chunkTokens: Math.max(0, ...chunks.map((chunk) => chunk.tokens)),
    };
  }
  const { documentTokens, chunkTokens, overlapTokens = 0 } = document;
  const mapBase = countChatTokens(counter, mapMessages(mapTemplate, '', systemPrompt)).total;
  const singleBase = countChatTokens(counter, reduceMessages(reduceTemplate, [], systemPrompt)).total;
  const sizes = estimatedChunkSizes(documentTokens, chunkTokens, overlapTokens);
  return {
    documentTokens,
    mapInputs: sizes.map((size) => mapBase + size + 1),
    singleCallInput: singleBase + documentTokens + 1,
    approximate: true,
    chunkTokens,
  };
}

/** Full chunks of `chunkTokens` advancing by chunkTokens − overlap; the last holds the rest (overlap included). */
function estimatedChunkSizes(documentTokens: number, chunkTokens: number, overlapTokens: number): number[] {
  if (documentTokens <= 0) return [];
  if (documentTokens <= chunkTokens) return [documentTokens];
  const step = Math.max(1, chunkTokens - overlapTokens);
  const count = 1 + Math.ceil((documentTokens - chunkTokens) / step);
  const sizes = new Array<number>(count - 1).fill(chunkTokens);
  sizes.push(documentTokens - (count - 1) * step);
  return sizes;
}

/** min(context window − reduce max_tokens, budget); undefined when neither is known. */
function reduceLimit(
  model: ResolvedModel,
  reduceMaxTokens: number,
  inputBudget: number | undefined,
): number | undefined {
  const fromContext = model.contextWindow === undefined ? undefined : model.contextWindow - reduceMaxTokens;
  if (fromContext === undefined) return inputBudget;
  return inputBudget === undefined ? fromContext : Math.min(fromContext, inputBudget);
}

function checkOutputCap(model: ResolvedModel, cap: number, setting: string, problems: string[]): void {
  if (model.maxOutputTokens !== undefined && model.kind === 'chat' && cap > model.maxOutputTokens) {
    problems.push(`${setting} ${cap} is above ${model.name}'s largest max_tokens of ${model.maxOutputTokens}.`);
  }
}

type PlannedLevel = Omit<ReduceLevel, 'cost'>;

/** Reduce levels with every partial at its cap, until one call remains; stops with a problem when no progress is possible. */
function planReduceLevels(
  partials: number,
  job: MapReduceJob,
  budget: ReduceBudget,
  problems: string[],
): PlannedLevel[] {
  const levels: PlannedLevel[] = [];
  let count = partials;
  let partialTokens = job.mapMaxTokens;
  for (let level = 1; count > 0; level++) {
    const sizes = new Array<number>(count).fill(partialTokens);
    const groups = groupPartials(sizes, budget);
    const inputTokens = groups.map((group) =>
      reduceInputBound(
        budget,
        group.map((index) => sizes[index] ?? 0),
      ),
    );
    const limit = budget.limit ?? Number.POSITIVE_INFINITY;
    if (inputTokens.some((tokens) => tokens > limit) || (count > 1 && groups.length === count)) {
      problems.push(
        `Reduce level ${level}: ${count > 1 ? 'two partial answers' : 'one partial answer'} of up to ${partialTokens} tokens do not fit in one reduce call ` +
          `(limit ${budget.limit} input tokens): lower ${level === 1 ? 'mapMaxTokens' : 'reduceMaxTokens'}, raise reduceInputBudget or use a reduce model with a larger context window.`,
      );
      return levels;
    }
    levels.push({
      level,
      model: job.reduceModel,
      groupSizes: groups.map((group) => group.length),
      inputTokens,
      totalInputTokens: sum(inputTokens),
      partialTokens,
      outputCap: job.reduceMaxTokens,
    });
    if (groups.length === 1) return levels;
    count = groups.length;
    partialTokens = job.reduceMaxTokens;
  }
  return levels;
}

function necessityOf(
  document: MeasuredDocument,
  job: MapReduceJob,
  reduceModel: ResolvedModel,
): { necessity: MapReduceNecessity; reason: string } {
  const needed = document.singleCallInput + job.reduceMaxTokens;
  if (document.mapInputs.length === 0) return { necessity: 'unnecessary', reason: 'The document is empty.' };
  if (document.mapInputs.length === 1) {
    return {
      necessity: 'unnecessary',
      reason: `The document (${document.documentTokens} tokens) fits in one chunk: send it in one call; map-reduce would only add a call.`,
    };
  }
  if (reduceModel.contextWindow === undefined) {
    return {
      necessity: 'optional',
      reason: `${job.reduceModel}'s context window is unknown, so it is not known whether one call could hold the document (${needed} tokens with the prompt and max_tokens).`,
    };
  }
  if (needed <= reduceModel.contextWindow) {
    return {
      necessity: 'optional',
      reason: `The whole document fits in one call on ${job.reduceModel} (${needed} of ${reduceModel.contextWindow} context tokens): map-reduce is optional; compare the costs.`,
    };
  }
  return {
    necessity: 'required',
    reason: `One call with the whole document needs ${needed} tokens, more than ${job.reduceModel}'s context window of ${reduceModel.contextWindow}: map-reduce is needed on this model.`,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Field-by-field sum of cost estimates (USD). */
export function sumCosts(costs: readonly CostEstimate[]): CostEstimate {
  const total = (pick: (cost: CostEstimate) => number) =>
    costs.reduce((accumulated, cost) => accumulated + pick(cost), 0);
  return {
    input: total((cost) => cost.input),
    cachedInput: total((cost) => cost.cachedInput),
    outputMax: total((cost) => cost.outputMax),
    total: total((cost) => cost.total),
    batchTotal: total((cost) => cost.batchTotal),
    currency: 'USD',
  };
}
