import type { BatchProgress, BatchRunOutcome } from '../core/batchApi/runBatchApi';
import { hasBatchInFlight } from '../core/batchApi/runFolderThroughBatchApi';
import { formatMoney } from '../core/report/formatMoney';

export { hasBatchInFlight };

/** `batch` in the `--json` report: the batch of this run (the first, when a run needed several). */
export function batchReport(outcome: BatchRunOutcome): {
  id: string | null;
  status: string;
  requestCounts: { total: number; completed: number; failed: number } | null;
  batches: BatchRunOutcome['batches'];
} | null {
  const first = outcome.batches[0];
  return first
    ? { id: first.id, status: first.status, requestCounts: first.requestCounts, batches: outcome.batches }
    : null;
}

/** One line per batch for the text report. */
export function batchLine(batch: BatchRunOutcome['batches'][number]): string {
  const counts = batch.requestCounts
    ? `, ${batch.requestCounts.completed}/${batch.requestCounts.total} lines answered, ${batch.requestCounts.failed} failed`
    : '';
  return `Batch ${batch.id ?? '(not created)'} (${batch.endpoint}): ${batch.status}${counts}\n`;
}

/** The terminal's progress line of a Batch API run. */
export function batchProgressText(progress: BatchProgress): string {
  const batches = progress.batches
    .map(
      (batch) =>
        `${batch.status}${batch.requestCounts ? ` ${batch.requestCounts.completed + batch.requestCounts.failed}/${batch.requestCounts.total}` : ''}`,
    )
    .join(', ');
  return `\r  batch ${batches || progress.phase} · ${progress.done}/${progress.total} done · ${formatMoney(progress.cost)}   `;
}
