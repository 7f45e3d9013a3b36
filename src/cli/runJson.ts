import { formatMoney } from '../core/report/formatMoney';
import type { ClientCounters } from '../core/client/clientCounters';
import type { RunOutcome } from '../core/runs/executeRun';
import type { JobResult } from '../core/runs/runJob';
import type { RunPlan } from '../core/runs/runPlan';
import type { RunFolder } from '../core/runs/runStore';

/** `promptmeter run --json`: counters of what really happened, the plan, and one result per job. */
export function runJson(
  folder: RunFolder,
  plan: RunPlan,
  outcome: RunOutcome,
  results: ReadonlyMap<string, JobResult>,
  counters: ClientCounters,
) {
  return {
    runId: folder.id,
    runFolder: folder.directory,
    status: outcome.status,
    stopReason: outcome.stopReason ?? null,
    /** HTTP calls made (every attempt). */
    requests: counters.requests,
    cacheHits: counters.cacheHits,
    retries: counters.retries,
    /** 429 answers seen. */
    rateLimited: counters.rateLimited,
    failed: outcome.progress.failed,
    /** Answers paid for that were cut off (finish_reason length / content_filter) or empty: not successes. */
    truncated: outcome.progress.truncated,
    pending: outcome.progress.pending,
    /** Money actually spent, from usage: `usd` is null when some answers have no known price (`unpriced` of them; `knownUsd` is the priced part). */
    cost: outcome.progress.cost,
    /** `cost` as a person reads it ("$0.012", "$0.010 + 2 unpriced", "unknown"). */
    costText: formatMoney(outcome.progress.cost),
    plan,
    results: folder.jobs().map((job) => {
      const result = results.get(job.id);
      return {
        id: job.id,
        file: job.file,
        row: job.row ?? null,
        model: job.model,
        output: result?.output ?? null,
        usage: result?.usage ?? null,
        costUsd: result?.costUsd ?? null,
        cache: result?.cache ?? 'pending',
        error: result?.error ?? null,
        answeredBy: result?.answeredBy ?? null,
        outcome: !result ? 'pending' : result.error ? 'error' : (result.outcome ?? 'answered'),
        finishReason: result?.finishReason ?? null,
      };
    }),
  };
}
