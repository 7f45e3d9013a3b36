import type { BatchApiCounters } from '../core/batchApi/batchApiClient';
import { createBatchApiClient, priceUsageFrom } from '../core/batchApi/createBatchApiClient';
import { runBatchApi, type BatchProgress, type BatchRunOutcome } from '../core/batchApi/runBatchApi';
import { BatchStateStore } from '../core/batchApi/batchState';
import { createSystemClock } from '../core/client/clock';
import { formatUsd } from '../core/estimate/formatting';
import type { LedgerWriter } from '../core/ledger/ledger';
import type { Pricing } from '../core/pricing/pricing';
import type { RunFolder } from '../core/runs/runStore';

/** What `promptmeter run --batch-api` needs besides the run folder. */
export interface BatchApiRunInput {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly pricing: Pricing;
  readonly ledger: LedgerWriter;
  readonly followers: ReadonlyMap<string, string>;
  readonly signal?: AbortSignal;
  /** Progress lines (interactive terminals only). */
  readonly onProgress?: (text: string) => void;
}

/** True when the run has batches submitted and not yet collected: a resume must poll them, never resend. */
export function hasBatchInFlight(folder: RunFolder): boolean {
  return new BatchStateStore(folder).activeParts().length > 0;
}

/** Runs the folder through the Batch API with the system clock; returns the outcome and the HTTP calls made. */
export async function runFolderThroughBatchApi(folder: RunFolder, input: BatchApiRunInput): Promise<{ outcome: BatchRunOutcome; counters: BatchApiCounters }> {
  const clock = createSystemClock();
  const client = createBatchApiClient({ apiKey: input.apiKey, baseUrl: input.baseUrl, clock, timeoutMs: input.timeoutMs });
  const outcome = await runBatchApi(folder, client, {
    clock,
    priceUsage: priceUsageFrom(input.pricing),
    ledger: input.ledger,
    semanticFollowers: input.followers,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: (progress: BatchProgress) => input.onProgress?.(progressText(progress)) } : {}),
  });
  return { outcome, counters: client.counters() };
}

/** `batch` in the `--json` report: the batch of this run (the first, when a run needed several). */
export function batchReport(outcome: BatchRunOutcome): { id: string | null; status: string; requestCounts: { total: number; completed: number; failed: number } | null; batches: BatchRunOutcome['batches'] } | null {
  const first = outcome.batches[0];
  return first ? { id: first.id, status: first.status, requestCounts: first.requestCounts, batches: outcome.batches } : null;
}

/** One line per batch for the text report. */
export function batchLine(batch: BatchRunOutcome['batches'][number]): string {
  const counts = batch.requestCounts ? `, ${batch.requestCounts.completed}/${batch.requestCounts.total} lines answered, ${batch.requestCounts.failed} failed` : '';
  return `Batch ${batch.id ?? '(not created)'} (${batch.endpoint}): ${batch.status}${counts}\n`;
}

function progressText(progress: BatchProgress): string {
  const batches = progress.batches
    .map((batch) => `${batch.status}${batch.requestCounts ? ` ${batch.requestCounts.completed + batch.requestCounts.failed}/${batch.requestCounts.total}` : ''}`)
    .join(', ');
  return `\r  batch ${batches || progress.phase} · ${progress.done}/${progress.total} done · ${formatUsd(progress.costUsd)}   `;
}
