import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CallOptions } from '../client/callOptions';
import type { ChatApi } from '../client/chatApi';
import type { CallResult } from '../client/callResult';
import { PromptMeterError } from '../client/errors';
import { stopsTheRun } from '../client/retryPolicy';
import type { LedgerWriter } from '../ledger/ledger';
import type { JobResult, RunJob } from './runJob';
import type { RunFolder, RunStatus } from './runStore';
import { pendingJobs, type FollowerMap } from './runSchedule';
import { ResultTally } from './resultTally';
import { indexCounts, type RunCounts } from './runCounts';
import { followerAnswer, joinChoiceTexts } from './followerAnswer';

/** The live ETA is shown once this many jobs finished in this session (before that the plan's estimate stands). */
export const ETA_AFTER_JOBS = 3;
import { runMapReduceJob, type MapReduceRuntime } from './mapReduceJob';

/** What a run needs from the client (PromptMeterClient satisfies it). */
export interface RunClient {
  /** `options.api` `responses` sends the chat-shaped request through the Responses API (jobs with that endpoint). */
  chat(
    request: ChatCompletionCreateParams,
    options: CallOptions & { api?: ChatApi },
  ): Promise<CallResult<ChatCompletion>>;
  embed(request: EmbeddingCreateParams, options: CallOptions): Promise<CallResult<CreateEmbeddingResponse>>;
}

/** The run's counts so far (see RunCounts: truncated = paid answers cut off or empty) and the time left. */
export interface RunProgress extends RunCounts {
  /** `cost.knownUsd` (kept for displays that show one number next to `cost`'s unknown part). */
  readonly costUsd: number;
  /** Seconds left at the pace so far (jobs finished per second since this run started); undefined until a few jobs finished. */
  readonly etaSeconds?: number;
}

export interface ExecuteRunOptions {
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
  /** Milliseconds for the live ETA and index saves (tests inject one). Default `Date.now`. */
  readonly clock?: () => number;
  /** The model a job's prompt had before Prompt Meter changed it (ledger evidence for the model-change saving). */
  readonly modelChangedFrom?: (job: RunJob) => string | undefined;
  /** Send only these job ids (Retry Failed Jobs); the others keep their results or stay pending. */
  readonly onlyJobs?: ReadonlySet<string>;
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
export async function executeRun(
  folder: RunFolder,
  client: RunClient,
  options: ExecuteRunOptions = {},
): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const jobs = folder.jobs();
  const existing = folder.results();
  const schedule = pendingJobs(jobs, existing, options.semanticFollowers ?? new Map(), options.onlyJobs);
  // Counts start from what the folder already holds (a resume), failures included; a job sent again replaces its result.
  const tally = new ResultTally(jobs, existing);
  const clock = options.clock ?? (() => Date.now());
  let stopReason: string | undefined;
  const started = clock();
  let finishedHere = 0;
  const progress = (): RunProgress => {
    const counts = tally.counts();
    const elapsedSeconds = (clock() - started) / 1000;
    const rate = elapsedSeconds > 0 ? finishedHere / elapsedSeconds : 0;
    const toDo = Math.max(0, schedule.pendingCount - finishedHere);
    return {
      ...counts,
      costUsd: counts.cost.knownUsd,
      etaSeconds: finishedHere >= ETA_AFTER_JOBS && rate > 0 ? toDo / rate : undefined,
    };
  };
  const record = (result: JobResult) => {
    folder.appendResult(result);
    tally.set(result);
    finishedHere++;
  };
  folder.saveIndex({ status: 'running', stopReason: undefined });
  let lastIndexSave = clock();

  // Jobs already answered elsewhere in this run (identical request done earlier) are filled in first.
  for (const { follower, leader } of schedule.answeredNow)
    await reuse(follower, leader, schedule.isSemantic(follower.id) ? 'semantic' : 'dedupe');

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
      if (clock() - lastIndexSave > 500) {
        saveCounts();
        lastIndexSave = clock();
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
      ...indexCounts(tally.counts()),
    });
  }

  async function callJob(job: RunJob): Promise<JobResult | undefined> {
    const changedFrom = options.modelChangedFrom?.(job);
    const callOptions: CallOptions = {
      signal,
      fresh: options.fresh,
      source: job.file,
      runId: folder.id,
      jobId: job.id,
      ...(changedFrom ? { modelChangedFrom: changedFrom } : {}),
      // Every call of the run goes to the run's ledger (its workspace folder's), whichever ledger the client has.
      ...(options.ledger ? { ledger: options.ledger } : {}),
    };
    try {
      if (job.mapReduce) {
        if (!options.mapReduce)
          throw new Error('This run has a map-reduce job but no tokenizer or document reader was given.');
        return {
          ...(await runMapReduceJob(
            job as RunJob & { mapReduce: NonNullable<RunJob['mapReduce']> },
            client,
            options.mapReduce,
            callOptions,
          )),
          row: job.row,
          finishedAt: now().toISOString(),
        };
      }
      if (job.endpoint === 'embeddings') {
        const answer = await client.embed(job.request as EmbeddingCreateParams, callOptions);
        return resultOf(
          job,
          answer,
          `${answer.response.data.length} embedding(s) of ${answer.response.data[0]?.embedding.length ?? 0} dimensions`,
          answer.response.data.map((item) => item.embedding),
        );
      }
      const answer = await client.chat(job.request as ChatCompletionCreateParams, {
        ...callOptions,
        ...(job.endpoint === 'responses' ? { api: 'responses' as const } : {}),
      });
      const texts = answer.response.choices.map((choice) => choice.message.content ?? '');
      return resultOf(job, answer, joinChoiceTexts(texts));
    } catch (error) {
      if (error instanceof PromptMeterError && stopsTheRun(error)) {
        stopReason ??= `${error.message} ${error.action ?? ''}`.trim();
        stop.abort(error);
        return undefined;
      }
      if (signal.aborted) return undefined; // cancelled: stays pending for a resume
      const failure = error instanceof PromptMeterError ? error : undefined;
      return {
        jobId: job.id,
        file: job.file,
        row: job.row,
        model: job.model,
        output: '',
        usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 },
        costUsd: 0,
        cache: 'miss',
        error: { code: failure?.code ?? failure?.reason, status: failure?.status, message: (error as Error).message },
        finishedAt: now().toISOString(),
      };
    }
  }

  function resultOf(job: RunJob, answer: CallResult<unknown>, output: string, embeddings?: number[][]): JobResult {
    return {
      jobId: job.id,
      file: job.file,
      row: job.row,
      model: job.model,
      output,
      usage: answer.usage,
      costUsd: answer.costUsd,
      cache: answer.cache,
      finishedAt: now().toISOString(),
      ...(embeddings ? { embeddings } : {}),
      ...(answer.truncated ? { outcome: 'truncated' as const, finishReason: answer.truncated.finishReason } : {}),
    };
  }

  /** Gives `follower` the leader's answer without a call, and records the call that was not made. */
  async function reuse(follower: RunJob, leader: JobResult, kind: 'dedupe' | 'semantic'): Promise<void> {
    const { result, entry } = followerAnswer(follower, leader, kind, { runId: folder.id, now });
    record(result);
    await options.ledger?.append(entry).catch(() => undefined);
  }
}
