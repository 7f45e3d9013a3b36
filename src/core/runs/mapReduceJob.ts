import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ChunkSettings } from '../chunking/chunkSettings';
import { splitDocument } from '../chunking/documentChunker';
import { runMapReduce } from '../chunking/mapReduceRunner';
import { planMapReduce } from '../chunking/mapReducePlan';
import { compareWithSingleCall } from '../chunking/singleCallComparison';
import type { CallOptions } from '../client/callOptions';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { RunClient } from './executeRun';
import type { JobResult, RunJob } from './runJob';

/** What a map-reduce job carries so it can be planned and run again later (resume). */
export interface MapReduceJobSpec {
  readonly settings: ChunkSettings;
  /** The document, relative to the workspace. */
  readonly documentPath: string;
  readonly systemPrompt?: string;
  readonly task: string;
}

/** What running map-reduce jobs needs besides the client. */
export interface MapReduceRuntime {
  readonly counter: TokenCounter;
  /** Reads a workspace-relative document. */
  readonly readDocument: (workspacePath: string) => string | undefined;
  readonly pricing: Pricing;
  readonly overrides: PriceOverrides;
}

/**
 * Runs one map-reduce job through the client: map calls per chunk, reduce levels, one answer. The first map
 * call's ledger entry carries `extra.mapReduce` (the estimates recorded at run time), which the cost report
 * turns into the "map-reduce instead of one large call" saving when it is positive.
 */
export async function runMapReduceJob(
  job: RunJob & { mapReduce: MapReduceJobSpec },
  client: RunClient,
  runtime: MapReduceRuntime,
  base: CallOptions,
): Promise<Omit<JobResult, 'finishedAt'>> {
  const spec = job.mapReduce;
  const text = runtime.readDocument(spec.documentPath);
  if (text === undefined)
    throw new Error(`The document ${spec.documentPath} cannot be read; the map-reduce job is not run.`);
  const chunks = splitDocument(text, runtime.counter, {
    maxTokens: spec.settings.maxTokens,
    overlapTokens: spec.settings.overlapTokens,
    ...(spec.settings.maxWords ? { maxWords: spec.settings.maxWords } : {}),
  });
  const plan = planMapReduce({
    document: { text, chunks },
    mapTemplate: spec.settings.map,
    reduceTemplate: spec.settings.reduce,
    ...(spec.systemPrompt ? { systemPrompt: spec.systemPrompt } : {}),
    mapModel: spec.settings.model ?? job.model,
    reduceModel: job.model,
    mapMaxTokens: spec.settings.mapMaxTokens,
    reduceMaxTokens: spec.settings.reduceMaxTokens,
    ...(spec.settings.reduceInputBudget ? { reduceInputBudget: spec.settings.reduceInputBudget } : {}),
    counter: runtime.counter,
    pricing: runtime.pricing,
    overrides: runtime.overrides,
  });
  const comparison = compareWithSingleCall(plan, runtime.pricing, {
    task: spec.task as never,
    overrides: runtime.overrides,
  });
  const evidence = {
    mapReduce: {
      mapReduceEstimateUsd: plan.cost?.total ?? null,
      singleCallEstimateUsd: comparison.singleCall?.cost.total ?? null,
      singleCallModel: comparison.singleCall?.model ?? null,
      calls: plan.totalCalls,
    },
  };
  let cachedTokens = 0;
  let reasoningTokens = 0;
  let firstMap = true;
  const result = await runMapReduce(
    plan,
    async (request) => {
      const extra = firstMap ? evidence : undefined;
      firstMap = false;
      const answer = await client.chat(
        {
          model: request.model,
          messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
          max_tokens: request.maxTokens,
        } as ChatCompletionCreateParams,
        { ...base, signal: request.signal, jobId: `${job.id}#${request.jobId}`, ...(extra ? { extra } : {}) },
      );
      cachedTokens += answer.usage.cachedTokens;
      reasoningTokens += answer.usage.reasoningTokens;
      return { text: answer.response.choices[0]?.message.content ?? '', usage: answer.usage, costUsd: answer.costUsd };
    },
    { counter: runtime.counter, ...(base.signal ? { signal: base.signal } : {}), concurrency: 4 },
  );
  return {
    jobId: job.id,
    file: job.file,
    model: job.model,
    output: result.answer,
    usage: {
      promptTokens: result.usage.promptTokens,
      cachedTokens,
      completionTokens: result.usage.completionTokens,
      reasoningTokens,
    },
    costUsd: result.costUsd,
    cache: 'map-reduce',
  };
}
