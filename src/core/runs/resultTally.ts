import { roundUsd } from '../report/money';
import { costOf, type RunCounts } from './runCounts';
import type { JobResult, RunJob } from './runJob';

/**
 * Running counts of a run's latest result per job, updated in O(1) as results arrive (a job sent again replaces
 * its earlier result, so a retried failure stops counting as failed). Same rules as `countResults`.
 */
export class ResultTally {
  private readonly latest = new Map<string, JobResult>();
  private done = 0;
  private failed = 0;
  private truncated = 0;
  private knownUsd = 0;
  private unpriced = 0;

  constructor(
    private readonly jobs: readonly RunJob[],
    results: ReadonlyMap<string, JobResult>,
  ) {
    const ids = new Set(jobs.map((job) => job.id));
    for (const [id, result] of results) if (ids.has(id)) this.set(result);
  }

  set(result: JobResult): void {
    const previous = this.latest.get(result.jobId);
    if (previous) this.apply(previous, -1);
    this.latest.set(result.jobId, result);
    this.apply(result, 1);
  }

  counts(): RunCounts {
    const knownUsd = roundUsd(this.knownUsd);
    const total = this.jobs.length;
    return {
      total,
      done: this.done,
      failed: this.failed,
      truncated: this.truncated,
      pending: total - this.done,
      cost: { usd: this.unpriced > 0 ? null : knownUsd, knownUsd, unpriced: this.unpriced },
    };
  }

  private apply(result: JobResult, sign: 1 | -1): void {
    this.done += sign;
    if (result.error) this.failed += sign;
    if (result.outcome === 'truncated') this.truncated += sign;
    const cost = costOf(result);
    if (cost === null) this.unpriced += sign;
    else this.knownUsd += sign * cost;
  }
}
