import type { RunJob } from './runJob';

/** Limits the duration estimate assumes (requests and tokens per minute). */
export interface PlanLimits {
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}

/** What a run will cost and take, shown before anything is spent. All money is estimated USD. */
export interface RunPlan {
  readonly jobs: number;
  /** Calls actually sent: jobs minus identical duplicates, similar-job reuse and known cache hits. */
  readonly calls: number;
  readonly duplicates: number;
  readonly similarReused: number;
  readonly knownCacheHits: number;
  readonly inputTokens: number;
  readonly outputTokensBound: number;
  /** Every job at standard prices, as if nothing were deduplicated or cached. */
  readonly naiveCostUsd: number;
  /** The calls that will be sent, at standard prices. */
  readonly costUsd: number;
  /** The same calls through the Batch API (50%). */
  readonly batchCostUsd: number;
  /** Jobs whose model has no known price (not in the totals). */
  readonly unpricedJobs: number;
  /** Expected duration under the limits (the binding one of requests or tokens per minute). */
  readonly expectedSeconds: number;
  readonly bindingLimit: 'requests' | 'tokens';
  readonly budget?: { readonly limitUsd: number; readonly exceeded: boolean };
}

export interface PlanInputs {
  readonly jobs: readonly RunJob[];
  /** Job ids that already have a result (resume) — not counted. */
  readonly done?: ReadonlySet<string>;
  /** Job ids whose request is answered by the response cache. */
  readonly cached?: ReadonlySet<string>;
  /** follower id → leader id for accepted similar jobs. */
  readonly similar?: ReadonlyMap<string, string>;
  readonly limits: PlanLimits;
  /** `promptmeter.budget.perRun` / `--budget` (USD); 0 or undefined = none. */
  readonly budgetUsd?: number;
}

/**
 * The pre-run summary: how many calls, tokens, what they cost (standard, after known cache hits and
 * deduplication, and with the Batch API), how long they take under the current limits, and the budget gate.
 */
export function planRun(inputs: PlanInputs): RunPlan {
  const seen = new Set<string>();
  let duplicates = 0;
  let similarReused = 0;
  let knownCacheHits = 0;
  let calls = 0;
  let inputTokens = 0;
  let outputTokensBound = 0;
  let naiveCostUsd = 0;
  let costUsd = 0;
  let batchCostUsd = 0;
  let unpricedJobs = 0;
  let weight = 0;
  let counted = 0;
  for (const job of inputs.jobs) {
    if (inputs.done?.has(job.id)) continue;
    counted++;
    if (job.estimate.costUsd === null) unpricedJobs++;
    naiveCostUsd += job.estimate.costUsd ?? 0;
    if (inputs.similar?.has(job.id)) {
      similarReused++;
      continue;
    }
    if (seen.has(job.dedupeKey)) {
      duplicates++;
      continue;
    }
    seen.add(job.dedupeKey);
    if (inputs.cached?.has(job.id)) {
      knownCacheHits++;
      continue;
    }
    calls++;
    inputTokens += job.estimate.inputTokens;
    outputTokensBound += job.estimate.outputTokens;
    costUsd += job.estimate.costUsd ?? 0;
    batchCostUsd += job.estimate.batchCostUsd ?? 0;
    weight += job.estimate.inputTokens + job.estimate.outputTokens;
  }
  const byRequests = (calls / inputs.limits.requestsPerMinute) * 60;
  const byTokens = (weight / inputs.limits.tokensPerMinute) * 60;
  const budget =
    inputs.budgetUsd && inputs.budgetUsd > 0
      ? { limitUsd: inputs.budgetUsd, exceeded: costUsd > inputs.budgetUsd }
      : undefined;
  return {
    jobs: counted,
    calls,
    duplicates,
    similarReused,
    knownCacheHits,
    inputTokens,
    outputTokensBound,
    naiveCostUsd,
    costUsd,
    batchCostUsd,
    unpricedJobs,
    expectedSeconds: Math.max(byRequests, byTokens),
    bindingLimit: byTokens > byRequests ? 'tokens' : 'requests',
    budget,
  };
}
