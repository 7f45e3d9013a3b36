import { randomUUID } from 'node:crypto';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CallOptions } from '../client/callOptions';
import type { ChatApi } from '../client/chatApi';
import type { CallResult } from '../client/callResult';
import { PromptMeterError } from '../client/errors';
import { stopsTheRun } from '../client/retryPolicy';
import type { LedgerWriter } from '../ledger/ledger';
import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { JobResult, RunJob } from './runJob';
import type { RunFolder, RunStatus } from './runStore';
import { pendingJobs, type FollowerMap } from './runSchedule';
import { runMapReduceJob, type MapReduceRuntime } from './mapReduceJob';

/** What a run needs from the client (PromptMeterClient satisfies it). */
export interface RunClient {
  /** `options.api` `responses` sends the chat-shaped request through the Responses API (jobs with that endpoint). */
  chat(request: ChatCompletionCreateParams, options: CallOptions & { api?: ChatApi }): Promise<CallResult<ChatCompletion>>;
  embed(request: EmbeddingCreateParams, options: CallOptions): Promise<CallResult<CreateEmbeddingResponse>>;
}

export interface RunProgress {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Answers paid for that were cut off or empty (see `JobResult.outcome`). */
  readonly truncated: number;
  readonly pending: number;
  readonly costUsd: number;
  /** Seconds left at the pace so far; undefined until a few jobs finished. */
  readonly etaSeconds?: number;
}

export interface RunExecutionOptions {
  readonly signal?: AbortSignal;
  /** Bypass the response cache (answers are refreshed). */
  readonly fresh?: boolean;
  /** Jobs whose answer may be reused from a semantically similar job: follower id → leader id. */
  readonly semanticFollowers?: FollowerMap;
  /** Jobs started at once; the client's limiter does the real pacing. */
  readonly parallelism?: number;
  readonly onProgress?: (progress: RunProgress) => void;
  readonly ledger?: LedgerWriter;
  readonly now?: () => Date;
  /** The model a job's prompt had before Prompt Meter changed it (ledger evidence for the model-change saving). */
  readonly modelChangedFrom?: (job: RunJob) => string | undefined;
  /** Needed when the run has map-reduce jobs (long documents). */
  readonly mapReduce?: MapReduceRuntime;
}

export interface RunOutcome {
  readonly status: RunStatus;
  readonly progress: RunProgress;
  readonly stopReason?: string;
}

/**
 * Runs the pending jobs of a run folder through the client: identical jobs are sent once, results are
 * appended as each job finishes, cancelled or unsent jobs stay pending for a resume, and an exhausted quota
 * stops the run at once with a message saying what to do.
 */
export async function executeRun(folder: RunFolder, client: RunClient, options: RunExecutionOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const jobs = folder.jobs();
  const existing = folder.results();
  const schedule = pendingJobs(jobs, existing, options.semanticFollowers ?? new Map());
  let done = jobs.length - schedule.pendingCount;
  let failed = 0;
  let truncated = [...existing.values()].filter((result) => result.outcome === 'truncated').length;
  let costUsd = [...existing.values()].reduce((sum, result) => sum + (result.costUsd ?? 0), 0);
  let stopReason: string | undefined;
  const started = Date.now();
  const startedDone = done;
  const progress = (): RunProgress => {
    const pending = jobs.length - done;
    const rate = (done - startedDone) / Math.max(1, (Date.now() - started) / 1000);
    return { total: jobs.length, done, failed, truncated, pending, costUsd, etaSeconds: done - startedDone >= 3 && rate > 0 ? pending / rate : undefined };
  };
  const record = (result: JobResult) => {
    folder.appendResult(result);
    done++;
    if (result.error) failed++;
    if (result.outcome === 'truncated') truncated++;
    costUsd += result.costUsd ?? 0;
  };
  folder.saveIndex({ status: 'running', stopReason: undefined });
  let lastIndexSave = Date.now();

  // Jobs already answered elsewhere in this run (identical request done earlier) are filled in first.
  for (const { follower, leader } of schedule.answeredNow) await reuse(follower, leader, schedule.isSemantic(follower.id) ? 'semantic' : 'dedupe');

  const queue = [...schedule.leaders];
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const worker = async () => {
    for (let job = queue.shift(); job && !signal.aborted; job = queue.shift()) {
      const result = await callJob(job);
      if (!result) continue;
      record(result);
      for (const follower of schedule.followersOf(job.id)) {
        if (!result.error) await reuse(follower, result, schedule.isSemantic(follower.id) ? 'semantic' : 'dedupe');
      }
      if (Date.now() - lastIndexSave > 500) {
        saveCounts();
        lastIndexSave = Date.now();
      }
      options.onProgress?.(progress());
    }
  };
  const parallelism = Math.max(1, options.parallelism ?? 32);
  await Promise.all(Array.from({ length: Math.min(parallelism, Math.max(1, queue.length)) }, worker));

  const cancelled = options.signal?.aborted === true && !stopReason;
  const status: RunStatus = stopReason ? 'stopped' : cancelled ? 'cancelled' : 'completed';
  saveCounts(status);
  folder.close();
  return { status, progress: progress(), stopReason };

  function saveCounts(status?: RunStatus): void {
    folder.saveIndex({
      ...(status ? { status } : {}),
      ...(stopReason ? { stopReason } : {}),
      jobs: { total: jobs.length, done, failed, truncated, pending: jobs.length - done },
      costUsd,
    });
  }

  async function callJob(job: RunJob): Promise<JobResult | undefined> {
    const changedFrom = options.modelChangedFrom?.(job);
    const callOptions: CallOptions = { signal, fresh: options.fresh, source: job.file, runId: folder.id, jobId: job.id, ...(changedFrom ? { modelChangedFrom: changedFrom } : {}) };
    try {
      if (job.mapReduce) {
        if (!options.mapReduce) throw new Error('This run has a map-reduce job but no tokenizer or document reader was given.');
        return { ...(await runMapReduceJob(job as RunJob & { mapReduce: NonNullable<RunJob['mapReduce']> }, client, options.mapReduce, callOptions)), row: job.row, finishedAt: now().toISOString() };
      }
      if (job.endpoint === 'embeddings') {
        const answer = await client.embed(job.request as EmbeddingCreateParams, callOptions);
        return resultOf(job, answer, `${answer.response.data.length} embedding(s) of ${answer.response.data[0]?.embedding.length ?? 0} dimensions`, answer.response.data.map((item) => item.embedding));
      }
      const answer = await client.chat(job.request as ChatCompletionCreateParams, { ...callOptions, ...(job.endpoint === 'responses' ? { api: 'responses' as const } : {}) });
      const texts = answer.response.choices.map((choice) => choice.message.content ?? '');
      return resultOf(job, answer, texts.length > 1 ? texts.join('\n\n---\n\n') : (texts[0] ?? ''));
    } catch (error) {
      if (error instanceof PromptMeterError && stopsTheRun(error)) {
        stopReason ??= `${error.message} ${error.action ?? ''}`.trim();
        stop.abort(error);
        return undefined;
      }
      if (signal.aborted) return undefined; // cancelled: stays pending for a resume
      const failure = error instanceof PromptMeterError ? error : undefined;
      return {
        jobId: job.id, file: job.file, row: job.row, model: job.model, output: '',
        usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 }, costUsd: 0, cache: 'miss',
        error: { code: failure?.code ?? failure?.reason, status: failure?.status, message: (error as Error).message },
        finishedAt: now().toISOString(),
      };
    }
  }

  function resultOf(job: RunJob, answer: CallResult<unknown>, output: string, embeddings?: number[][]): JobResult {
    return {
      jobId: job.id, file: job.file, row: job.row, model: job.model, output, usage: answer.usage,
      costUsd: answer.costUsd, cache: answer.cache, finishedAt: now().toISOString(),
      ...(embeddings ? { embeddings } : {}),
      ...(answer.truncated ? { outcome: 'truncated' as const, finishReason: answer.truncated.finishReason } : {}),
    };
  }

  /**
   * Gives `follower` the leader's answer without a call, and records the call that was not made. A truncated
   * answer is shared as truncated (asking again would get the same), and its ledger entry avoids nothing.
   */
  async function reuse(follower: RunJob, leader: JobResult, kind: 'dedupe' | 'semantic'): Promise<void> {
    const result: JobResult = { ...leader, jobId: follower.id, file: follower.file, row: follower.row, costUsd: 0, cache: kind, answeredBy: leader.jobId, finishedAt: now().toISOString() };
    record(result);
    const entry: LedgerEntry = {
      version: 1, id: randomUUID(), time: result.finishedAt, source: follower.file, runId: folder.id, jobId: follower.id,
      endpoint: follower.endpoint, model: follower.model, requestKey: follower.dedupeKey, usage: leader.usage, costUsd: 0,
      ...(leader.outcome === 'truncated'
        ? { outcome: 'truncated' as const, ...(leader.finishReason ? { finishReason: leader.finishReason } : {}) }
        : { outcome: 'ok' as const, avoidedCostUsd: leader.costUsd ?? follower.estimate.costUsd }),
      latencyMs: 0, cache: 'inflight', retries: 0,
      extra: { dedupe: kind === 'dedupe' ? 'identical' : 'semantic', answeredBy: leader.jobId },
    };
    await options.ledger?.append(entry).catch(() => undefined);
  }
}
