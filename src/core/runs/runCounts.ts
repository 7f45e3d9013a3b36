import { MoneySum, type MoneyAmount } from '../report/money';
import type { JobResult, RunJob } from './runJob';

/** What a run's results add up to: jobs with a result, failures, truncated answers and the money spent. */
export interface RunCounts {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly truncated: number;
  readonly pending: number;
  /** From usage; a result without a known price is an unknown part, never $0. */
  readonly cost: MoneyAmount;
}

/** The counts as run.json keeps them: the job counts under `jobs`, the money under `cost`. */
export function indexCounts(counts: RunCounts): {
  readonly jobs: Omit<RunCounts, 'cost'>;
  readonly cost: MoneyAmount;
} {
  const { total, done, failed, truncated, pending, cost } = counts;
  return { jobs: { total, done, failed, truncated, pending }, cost };
}

/** Counts the latest result of each job (the one owner of these counts: executor, Batch API, a rebuilt run.json). */
export function countResults(jobs: readonly RunJob[], results: ReadonlyMap<string, JobResult>): RunCounts {
  let done = 0;
  let failed = 0;
  let truncated = 0;
  const cost = new MoneySum();
  for (const job of jobs) {
    const result = results.get(job.id);
    if (!result) continue;
    done += 1;
    if (result.error) failed += 1;
    if (result.outcome === 'truncated') truncated += 1;
    cost.add(costOf(result));
  }
  return { total: jobs.length, done, failed, truncated, pending: jobs.length - done, cost: cost.amount };
}

/**
 * A result's cost for a sum: its usage price, or `null` (unknown) when a paid answer had no price. A failed call
 * and a reused answer cost 0: nothing was billed.
 */
export function costOf(result: Pick<JobResult, 'costUsd' | 'error'>): number | null {
  if (result.error) return result.costUsd ?? 0;
  return result.costUsd;
}
