import { truncationText } from '../client/answerOutcome';
import { formatEstimate, formatTokens, formatUsd } from '../estimate/formatting';
import { formatMoney } from '../report/formatMoney';
import type { RunOutcome } from './executeRun';
import type { JobResult } from './runJob';
import type { RunPlan } from './runPlan';
import type { RunIndex } from './runStore';
import type { SimilarGroup } from './similarQuestions';

/** The similar-question groups found before a run, as one line for the summary. */
export function similarText(groups: readonly SimilarGroup[], reused: boolean): string | undefined {
  if (groups.length === 0) return undefined;
  const jobs = groups.reduce((sum, group) => sum + group.members.length, 0);
  return reused
    ? `${groups.length} groups of similar questions: ${jobs} jobs reuse their group's answer (similar-groups.json lists them)`
    : `${groups.length} groups of similar questions (${jobs} jobs) listed in similar-groups.json for review; turn on promptmeter.semanticDedupe to reuse their answers`;
}

/** The plan as lines a person reads before the run starts. */
export function planText(plan: RunPlan): string[] {
  const minutes = plan.expectedSeconds / 60;
  const duration = minutes >= 1 ? `${minutes.toFixed(1)} min` : `${Math.ceil(plan.expectedSeconds)} s`;
  const lines = [
    `${plan.jobs} jobs → ${plan.calls} calls (${plan.duplicates} identical, ${plan.similarReused} similar reused, ${plan.knownCacheHits} already cached)`,
    `${formatTokens(plan.inputTokens)} input tokens, output ≤ ${formatTokens(plan.outputTokensBound)} tokens`,
    `Estimated cost: ${formatEstimate(plan.costUsd)} (every job at standard prices ${formatEstimate(plan.naiveCostUsd)}; with the Batch API ${formatEstimate(plan.batchCostUsd)})`,
    `Expected duration: about ${duration} under the current ${plan.bindingLimit === 'tokens' ? 'tokens' : 'requests'}-per-minute limit`,
  ];
  if (plan.unpricedJobs > 0)
    lines.push(
      `${plan.unpricedJobs} jobs have no known price (not in the estimate): add overrides in promptmeter.pricing.overrides.`,
    );
  if (plan.budget)
    lines.push(
      `Budget per run: ${formatUsd(plan.budget.limitUsd)}${plan.budget.exceeded ? ' — EXCEEDED at standard prices' : ' — within budget'}`,
    );
  return lines;
}

/** `summary.md` in the run folder: what ran, what it cost, what failed and how to resume. */
export function runSummaryMarkdown(
  index: RunIndex,
  plan: RunPlan | undefined,
  outcome: RunOutcome,
  results: ReadonlyMap<string, JobResult>,
): string {
  const byCache = new Map<string, number>();
  for (const result of results.values()) byCache.set(result.cache, (byCache.get(result.cache) ?? 0) + 1);
  const failures = [...results.values()].filter((result) => result.error);
  const truncated = [...results.values()].filter((result) => result.outcome === 'truncated');
  const truncatedCost = truncated.reduce((sum, result) => sum + (result.costUsd ?? 0), 0);
  const lines = [
    `# Run ${index.id}`,
    '',
    `- Source: ${index.source}`,
    `- Status: **${outcome.status}**${outcome.stopReason ? ` — ${outcome.stopReason}` : ''}`,
    `- Jobs: ${outcome.progress.total} total, ${outcome.progress.done} done, ${outcome.progress.failed} failed, ${truncated.length} truncated, ${outcome.progress.pending} pending`,
    `- Cost: ${formatMoney(outcome.progress.cost)} (from usage${outcome.progress.cost.unpriced > 0 ? `; ${outcome.progress.cost.unpriced} answers have no known price: add them in promptmeter.pricing.overrides` : ''})${plan ? `; estimated before running: ${formatEstimate(plan.costUsd)}` : ''}`,
    `- Answers by source: ${[...byCache].map(([cache, count]) => `${cache} ${count}`).join(', ') || 'none yet'}`,
  ];
  if (outcome.progress.pending > 0)
    lines.push('', `Resume with \`promptmeter run --resume ${index.id}\` (only the pending jobs are sent).`);
  if (failures.length > 0)
    lines.push(
      '',
      `Retry only the ${failures.length} failed job${failures.length === 1 ? '' : 's'} with \`promptmeter run --retry-failed ${index.id}\` (in VS Code: Prompt Meter: Retry Failed Jobs).`,
    );
  if (truncated.length > 0) {
    lines.push(
      '',
      '## Truncated answers',
      '',
      `${truncated.length} answers were paid for (${formatUsd(truncatedCost)}) but cut off or empty; they are not cached.`,
      '',
    );
    for (const result of truncated.slice(0, 50))
      lines.push(`- ${result.jobId}: ${truncationText(result.finishReason ?? 'length', result.output === '')}`);
  }
  if (failures.length > 0) {
    lines.push('', '## Failed jobs', '');
    for (const failure of failures.slice(0, 50)) lines.push(`- ${failure.jobId}: ${failure.error?.message ?? ''}`);
  }
  lines.push(
    '',
    "Results: `results.jsonl` (one line per job). Costs are computed from the API's usage at dated prices.",
  );
  return `${lines.join('\n')}\n`;
}
