import type { Clock } from '../client/clock';
import { PromptMeterError } from '../client/errors';
import { stopsTheRun } from '../client/retryPolicy';
import type { PriceUsage } from '../client/priceUsage';
import type { LedgerWriter } from '../ledger/ledger';
import type { RunOutcome, RunProgress } from '../runs/executeRun';
import type { FollowerMap } from '../runs/runSchedule';
import { countResults, indexCounts } from '../runs/runCounts';
import type { RunFolder, RunStatus } from '../runs/runStore';
import type { BatchApiClient } from './batchApiClient';
import { collectPart, fillFollowers, type CollectContext } from './batchCollect';
import { buildBatchInput, type BatchLimits } from './batchInput';
import { FINISHED_STATUSES, BatchStateStore, type BatchPartState } from './batchState';
import { isPermanentSubmitFailure, submitPart, updatePart } from './batchSubmit';
import { cancelParts, nextPollDelay } from './batchPolling';

/** One batch as a progress display or report shows it. */
export interface BatchSummary {
  readonly id: string | null;
  readonly endpoint: string;
  readonly status: string;
  readonly requestCounts: { total: number; completed: number; failed: number } | null;
}

/** Run progress plus what each batch is doing. */
export interface BatchProgress extends RunProgress {
  readonly phase: 'submitting' | 'waiting' | 'collecting' | 'cancelling';
  readonly batches: BatchSummary[];
}

/** How a run through the Batch API ended; compatible with the normal path's outcome. */
export interface BatchRunOutcome extends RunOutcome {
  readonly batches: BatchSummary[];
}

/** What {@link runBatchApi} needs besides the folder and the client; durations in milliseconds. */
export interface BatchRunOptions {
  /** Aborting cancels the batches in flight and keeps what they finished. */
  readonly signal?: AbortSignal;
  readonly clock: Clock;
  /** Prices usage; called with `{ batchApi: true }`. */
  readonly priceUsage: PriceUsage;
  readonly ledger?: LedgerWriter;
  /** First wait between polls, ms (then ×1.5 per poll). Default 1 000. */
  readonly pollIntervalMs?: number;
  /** Longest wait between polls, ms. Default 60 000. */
  readonly maxPollIntervalMs?: number;
  /** How long a cancel waits for `cancelled` before leaving it to a resume, ms. Default 600 000 (OpenAI: up to 10 min). */
  readonly cancelWaitMs?: number;
  /** Accepted similar questions (follower → leader), as for the normal path; remembered for resumes. */
  readonly semanticFollowers?: FollowerMap;
  readonly limits?: BatchLimits;
  /** Retry the failed jobs: only these are sent; every other job is left as it is, answered or not. */
  readonly onlyJobs?: ReadonlySet<string>;
  readonly onProgress?: (progress: BatchProgress) => void;
}

/**
 * Runs a run folder's pending jobs through the OpenAI Batch API.
 *
 * - A run with batches in flight (recorded in `batch-api.json`, mirrored in `run.json`) resumes polling them:
 *   never a second submission. Otherwise the pending jobs are sent: one line per distinct request, one batch per
 *   endpoint, each id saved as soon as it is known.
 * - Polls with backoff (1 s growing to 60 s); each batch is collected as soon as it finishes: answers and failed
 *   lines become results (`cache: 'batch'`) with ledger entries at Batch prices; jobs identical to an answered
 *   one get its answer (`cache: 'dedupe'`); expired lines stay pending for a later run.
 * - Aborting `signal` cancels the batches, waits for `cancelled`, and keeps what they finished.
 */
export async function runBatchApi(
  folder: RunFolder,
  client: BatchApiClient,
  options: BatchRunOptions,
): Promise<BatchRunOutcome> {
  const { clock, signal } = options;
  const now = () => new Date(clock.wallClockMs());
  const store = new BatchStateStore(folder);
  const jobs = folder.jobs();
  const semantic: FollowerMap = new Map([
    ...Object.entries(store.state.semanticFollowers),
    ...(options.semanticFollowers ?? []),
  ]);
  const context: CollectContext = {
    folder,
    store,
    client,
    jobsById: new Map(jobs.map((job) => [job.id, job])),
    priceUsage: options.priceUsage,
    ledger: options.ledger,
    now,
  };
  const finishedNow: BatchPartState[] = [];
  let stopReason: string | undefined;
  let progress = countProgress();
  const report = (phase: BatchProgress['phase']) => options.onProgress?.({ ...progress, phase, batches: summaries() });

  store.save({ status: 'running', stopReason: undefined });
  await fillFollowers(jobs, semantic, context, options.onlyJobs);
  if (store.activeParts().length === 0) {
    const input = buildBatchInput(jobs, folder.results(), {
      semanticFollowers: semantic,
      limits: options.limits,
      ...(options.onlyJobs ? { onlyJobs: options.onlyJobs } : {}),
    });
    const ids = new Map([...input.customIdToJob].map(([customId, job]) => [customId, job.id]));
    if (input.parts.length > 0) store.addSubmission(input.parts, ids, semantic);
  }
  report('submitting');
  for (const part of store.activeParts()) {
    if (part.batchId || signal?.aborted || stopReason) continue;
    try {
      await submitPart(part, store, client, folder.id, signal);
    } catch (error) {
      if (signal?.aborted) break;
      if (isPermanentSubmitFailure(error)) {
        part.status = 'failed';
        part.failure = `The batch could not be created: ${(error as Error).message}`;
        part.collected = true;
        finishedNow.push(part);
        store.save();
      } else stopReason = reasonOf(error);
    }
  }

  if (!stopReason && !signal?.aborted) {
    let delay = options.pollIntervalMs ?? 1_000;
    try {
      for (;;) {
        await pollOnce();
        if (!store.activeParts().some((part) => part.batchId)) break;
        report('waiting');
        await clock.sleep(delay, signal);
        delay = nextPollDelay(delay, options.maxPollIntervalMs ?? 60_000);
      }
    } catch (error) {
      if (!signal?.aborted)
        stopReason = `Lost contact with the Batch API (${reasonOf(error)}). The batch goes on at OpenAI; resume the run to collect it.`;
    }
  }
  if (signal?.aborted) {
    store.dropUnsubmitted();
    report('cancelling');
    const settled = await cancelParts(
      store.activeParts().filter((part) => part.batchId),
      {
        client,
        clock,
        waitMs: options.cancelWaitMs ?? 600_000,
        pollIntervalMs: options.pollIntervalMs ?? 1_000,
        maxPollIntervalMs: options.maxPollIntervalMs ?? 60_000,
        onUpdate: async (part) => {
          store.save();
          if (FINISHED_STATUSES.has(part.status)) await collect(part);
        },
      },
    ).catch(() => false);
    if (!settled) stopReason = 'The batch is still cancelling; resume the run later to collect what it finished.';
  }
  await fillFollowers(jobs, semantic, context);
  progress = countProgress();
  const status = finalStatus();
  store.save({
    status,
    ...(stopReason ? { stopReason } : {}),
    ...indexCounts(progress),
  });
  folder.close();
  return { status, progress, batches: summaries(), ...(stopReason ? { stopReason } : {}) };

  async function pollOnce(): Promise<void> {
    for (const part of store.activeParts()) {
      if (!part.batchId) continue;
      updatePart(part, await client.retrieveBatch(part.batchId, signal));
      store.save();
      if (FINISHED_STATUSES.has(part.status)) await collect(part);
    }
  }

  async function collect(part: BatchPartState): Promise<void> {
    report('collecting');
    await collectPart(part, context);
    finishedNow.push(part);
    await fillFollowers(jobs, semantic, context, options.onlyJobs);
    progress = countProgress();
    store.save(indexCounts(progress));
  }

  function finalStatus(): RunStatus {
    const failed = finishedNow.find((part) => part.status === 'failed');
    const expired = finishedNow.some((part) => part.status === 'expired');
    if (signal?.aborted) return 'cancelled';
    if (stopReason) return 'stopped';
    if (failed) {
      stopReason = `${failed.failure ?? 'The batch failed.'} Its ${failed.lines} requests are pending; fix them, or run without --batch-api.`;
      return 'failed';
    }
    if (expired) {
      stopReason = `The batch expired (24 h window) before every request ran: ${progress.pending} jobs are pending. Resume the run to send only those.`;
      return 'stopped';
    }
    if (finishedNow.some((part) => part.status === 'cancelled')) {
      stopReason = 'The batch was cancelled outside Prompt Meter; unfinished jobs are pending.';
      return 'cancelled';
    }
    return 'completed';
  }

  function countProgress(): RunProgress {
    const counts = countResults(jobs, folder.results());
    return { ...counts, costUsd: counts.cost.knownUsd };
  }

  function summaries(): BatchSummary[] {
    return store.latestRound().map((part) => ({
      id: part.batchId ?? null,
      endpoint: part.endpoint,
      status: part.status,
      requestCounts: part.requestCounts ?? null,
    }));
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof PromptMeterError && stopsTheRun(error)) return `${error.message} ${error.action ?? ''}`.trim();
  if (error instanceof PromptMeterError) return `${error.message}${error.action ? ` ${error.action}` : ''}`;
  return (error as Error)?.message ?? String(error);
}
