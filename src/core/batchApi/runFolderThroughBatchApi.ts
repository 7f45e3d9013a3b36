import type { LedgerWriter } from '../ledger/ledger';
import type { Pricing } from '../pricing/pricing';
import type { RunFolder } from '../runs/runStore';
import { createSystemClock } from '../client/clock';
import { apiKeyHeaderFor } from '../client/createClient';
import type { BatchApiCounters } from './batchApiClient';
import { BatchStateStore } from './batchState';
import { priceUsageFrom } from '../client/priceUsage';
import { createBatchApiClient } from './createBatchApiClient';
import { runBatchApi, type BatchProgress, type BatchRunOutcome } from './runBatchApi';

/** What running a run folder through the Batch API needs besides the folder. */
export interface BatchApiRunInput {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly pricing: Pricing;
  readonly ledger: LedgerWriter | undefined;
  readonly followers: ReadonlyMap<string, string>;
  /** Retry the failed jobs: only these are sent. */
  readonly onlyJobs?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BatchProgress) => void;
}

/** True when the run has batches submitted and not yet collected: a resume must poll them, never resend. */
export function hasBatchInFlight(folder: RunFolder): boolean {
  return new BatchStateStore(folder).activeParts().length > 0;
}

/** Runs (or resumes) the folder through the Batch API with the system clock; returns the outcome and the HTTP calls made. */
export async function runFolderThroughBatchApi(
  folder: RunFolder,
  input: BatchApiRunInput,
): Promise<{ outcome: BatchRunOutcome; counters: BatchApiCounters }> {
  const clock = createSystemClock();
  const client = createBatchApiClient({
    apiKey: input.apiKey,
    baseUrl: input.baseUrl,
    clock,
    timeoutMs: input.timeoutMs,
    apiKeyHeader: apiKeyHeaderFor(input.baseUrl),
  });
  const outcome = await runBatchApi(folder, client, {
    clock,
    priceUsage: priceUsageFrom(input.pricing),
    ...(input.ledger ? { ledger: input.ledger } : {}),
    semanticFollowers: input.followers,
    ...(input.onlyJobs ? { onlyJobs: input.onlyJobs } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  return { outcome, counters: client.counters() };
}
