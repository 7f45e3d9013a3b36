import type { RunFolder } from '../runs/runStore';
import type { RunViewJob, RunViewModel } from '../../shared/runViewMessages';

/**
 * What the run view shows of a run folder: every job in plan order with its model, status, cost and output
 * (read-only: jobs.jsonl, results.jsonl and run.json through the run's RunFolder). A job without a result is
 * pending; an unknown cost stays unknown.
 */
export function runViewModel(folder: RunFolder): RunViewModel {
  const results = folder.results();
  let knownCostUsd = 0;
  let unknownCosts = 0;
  const jobs = folder.jobs().map((job): RunViewJob => {
    const result = results.get(job.id);
    if (!result) return { id: job.id, model: job.model, status: 'pending', costUsd: null, output: '', cache: '' };
    if (result.costUsd === null) unknownCosts += 1;
    else knownCostUsd += result.costUsd;
    const status = result.error ? 'failed' : result.outcome === 'truncated' ? 'truncated' : 'done';
    return {
      id: job.id,
      model: result.model,
      status,
      costUsd: result.costUsd,
      output: result.error ? result.error.message : result.output,
      cache: result.cache,
    };
  });
  const { index } = folder;
  return {
    id: index.id,
    source: index.source,
    status: index.status,
    createdAt: index.createdAt,
    stopReason: index.stopReason ?? null,
    jobs,
    knownCostUsd,
    unknownCosts,
  };
}
