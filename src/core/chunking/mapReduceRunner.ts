import type { TokenCounter } from '../tokens/tokenCounter';
import { runBounded } from './boundedConcurrency';
import {
  groupPartials,
  mapMessages,
  reduceInputBound,
  reduceMessages,
  type MapReduceMessage,
} from './mapReduceMessages';
import type { MapReducePlan } from './mapReducePlanTypes';

/** One call as the runner asks for it; the real client adds throttling, retries, caching and the ledger. */
export interface CompletionRequest {
  readonly messages: readonly MapReduceMessage[];
  /** `max_tokens` of the call. */
  readonly maxTokens: number;
  readonly model: string;
  /** `map-<chunk>` or `reduce-<level>-<call>`, stable across runs (for the ledger and caches). */
  readonly jobId: string;
  /** Aborted when the run stops: the caller aborted, or another call failed. */
  readonly signal: AbortSignal;
}

export interface CompletionUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
}

export interface CompletionResult {
  readonly text: string;
  readonly usage: CompletionUsage;
  /** USD; null when the model has no known price. */
  readonly costUsd: number | null;
}

export type Complete = (request: CompletionRequest) => Promise<CompletionResult>;

/** One call made by a run. */
export interface MapReduceCall {
  readonly jobId: string;
  readonly stage: 'map' | 'reduce';
  /** 0 for map calls, 1… for reduce levels. */
  readonly level: number;
  readonly model: string;
  /** Map: the chunk index. Reduce: indexes of the combined answers in the previous stage's order. */
  readonly inputs: readonly number[];
  readonly usage: CompletionUsage;
  readonly costUsd: number | null;
}

export interface MapReduceResult {
  /** The last reduce call's text. */
  readonly answer: string;
  /** Map answers in chunk order. */
  readonly partials: readonly string[];
  /** Every call in a stable order: map calls by chunk, then each reduce level by call. */
  readonly calls: readonly MapReduceCall[];
  /** Number of reduce levels run (≥ 1). */
  readonly levels: number;
  readonly usage: CompletionUsage;
  /** Σ of the calls' costs in USD; null when any call's cost is unknown. */
  readonly costUsd: number | null;
}

export interface RunMapReduceOptions {
  /** Measures the partial answers to group them into reduce calls (same encoding as the plan). */
  readonly counter: TokenCounter;
  readonly signal?: AbortSignal;
  /** Most calls in flight at once (default 4); the client's rate limiter still applies. */
  readonly concurrency?: number;
}

/**
 * Runs a planned map-reduce: one map call per chunk (at most `concurrency` at a time), then reduce levels
 * until one answer remains — at least one reduce call, so the answer has the reduce prompt's shape. Reduce
 * groups are formed from the answers' real token counts with the plan's budget, so a run never needs more
 * reduce calls than the plan's bound and usually fewer. Stops on abort; the first failing call's error is
 * thrown after calls in flight have settled. Rejects plans without chunks or that are not feasible.
 */
export async function runMapReduce(
  plan: MapReducePlan,
  complete: Complete,
  options: RunMapReduceOptions,
): Promise<MapReduceResult> {
  const { chunks, job } = plan;
  if (!chunks) throw new Error('This plan was made from a token count; plan from the document text to run it.');
  if (!plan.feasible) throw new Error(`The map-reduce plan cannot run: ${plan.problems.join(' ')}`);
  const concurrency = options.concurrency ?? 4;
  const calls: MapReduceCall[] = [];

  const mapped = await runBounded(chunks, concurrency, options.signal, async (chunk, _index, signal) => {
    const jobId = `map-${chunk.index}`;
    const result = await complete({
      messages: mapMessages(job.mapTemplate, chunk.text, job.systemPrompt),
      maxTokens: job.mapMaxTokens,
      model: job.mapModel,
      jobId,
      signal,
    });
    return { result, call: record(jobId, 'map', 0, job.mapModel, [chunk.index], result) };
  });
  calls.push(...mapped.map((entry) => entry.call));
  const partials = mapped.map((entry) => entry.result.text);

  let current = partials;
  let level = 0;
  do {
    level++;
    const groups = reduceGroups(plan, current, options.counter, level);
    const reduced = await runBounded(groups, concurrency, options.signal, async (group, index, signal) => {
      const jobId = `reduce-${level}-${index}`;
      const messages = reduceMessages(
        job.reduceTemplate,
        group.map((partial) => current[partial] ?? ''),
        job.systemPrompt,
      );
      const result = await complete({
        messages,
        maxTokens: job.reduceMaxTokens,
        model: job.reduceModel,
        jobId,
        signal,
      });
      return { result, call: record(jobId, 'reduce', level, job.reduceModel, group, result) };
    });
    calls.push(...reduced.map((entry) => entry.call));
    current = reduced.map((entry) => entry.result.text);
  } while (current.length > 1);

  return {
    answer: current[0] ?? '',
    partials,
    calls,
    levels: level,
    usage: totalUsage(calls),
    costUsd: totalCost(calls),
  };
}

/** Groups this level's answers by their token counts; throws when they cannot be combined (no progress, or over the limit). */
function reduceGroups(
  plan: MapReducePlan,
  partials: readonly string[],
  counter: TokenCounter,
  level: number,
): number[][] {
  const sizes = partials.map((partial) => counter.count(partial));
  const budget = plan.reduceBudget;
  const groups = groupPartials(sizes, budget);
  const limit = budget.limit ?? Number.POSITIVE_INFINITY;
  for (const group of groups) {
    const input = reduceInputBound(
      budget,
      group.map((index) => sizes[index] ?? 0),
    );
    if (input > limit)
      throw new Error(
        `Reduce level ${level}: ${group.length} partial answer(s) need ${input} input tokens, over the limit of ${limit}.`,
      );
  }
  if (partials.length > 1 && groups.length === partials.length) {
    throw new Error(
      `Reduce level ${level}: no two partial answers fit in one reduce call (limit ${limit} input tokens).`,
    );
  }
  return groups;
}

function record(
  jobId: string,
  stage: 'map' | 'reduce',
  level: number,
  model: string,
  inputs: readonly number[],
  result: CompletionResult,
): MapReduceCall {
  return { jobId, stage, level, model, inputs, usage: result.usage, costUsd: result.costUsd };
}

function totalUsage(calls: readonly MapReduceCall[]): CompletionUsage {
  let promptTokens = 0;
  let completionTokens = 0;
  let cachedTokens = 0;
  for (const call of calls) {
    promptTokens += call.usage.promptTokens;
    completionTokens += call.usage.completionTokens;
    cachedTokens += call.usage.cachedTokens;
  }
  return { promptTokens, completionTokens, cachedTokens };
}

function totalCost(calls: readonly MapReduceCall[]): number | null {
  let total = 0;
  for (const call of calls) {
    if (call.costUsd === null) return null;
    total += call.costUsd;
  }
  return total;
}
