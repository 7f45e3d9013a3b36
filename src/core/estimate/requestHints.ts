import { lowestEffort } from '../models/reasoningEffort';
import type { PromptDiagnostic } from '../prompts/promptTypes';
import { formatTokens } from './formatting';
import type { PromptEstimate } from './promptEstimate';
import { capLikelyUsedByReasoning, capWithReasoningRoom } from './reasoningEstimate';
import { TASK_PROFILES } from './taskProfile';

/**
 * Diagnostics about the request itself: every setting the model rejects is an error at its key's line (the run
 * refuses it before anything is sent), and a cap that expected reasoning is likely to use up is a warning with two
 * quick fixes (raise the cap; the lowest reasoning effort the model accepts).
 */
export function requestHints(estimate: PromptEstimate): PromptDiagnostic[] {
  const { prompt } = estimate;
  const hints: PromptDiagnostic[] = estimate.requestProblems.map((problem) => ({
    span: problem.span ?? prompt.modelSpan ?? prompt.span,
    severity: 'error',
    code: 'rejected-parameter',
    message: `${problem.message} Prompt Meter will not send this request until it is fixed.`,
    ...(problem.fix ? { fix: { kind: 'change', changes: problem.fix.changes, title: problem.fix.title } } : {}),
  }));
  hints.push(...serviceTierHints(estimate));
  const reasoning = estimate.reasoning;
  const cap = prompt.maxTokens;
  if (cap === undefined || !reasoning || !capLikelyUsedByReasoning(cap, reasoning)) return hints;
  const raised = capWithReasoningRoom(
    Math.max(cap, TASK_PROFILES[estimate.task].suggestedMaxTokens),
    reasoning.expectedTokens,
  );
  const lowest = lowestEffort(reasoning.acceptedEfforts);
  const where =
    reasoning.source === 'ledger'
      ? `the median of this prompt's last ${reasoning.calls} calls`
      : 'assumed for this effort';
  const lower = lowest && lowest !== reasoning.effort ? ` or set reasoning_effort: ${lowest}` : '';
  hints.push({
    span: prompt.span,
    severity: 'warning',
    code: 'reasoning-uses-cap',
    message: `${estimate.model} is expected to spend ~${formatTokens(reasoning.expectedTokens)} hidden reasoning tokens per call at reasoning_effort ${reasoning.effort} (${where}) out of a cap of ${formatTokens(cap)}: the answer is likely cut off or empty (finish_reason "length"). Raise the cap to ${raised}${lower}.`,
    fix: {
      kind: 'change',
      changes: [{ kind: 'set-max-tokens', value: raised }],
      title: `Raise the cap to ${raised} (room for reasoning)`,
    },
  });
  if (lower) {
    hints.push({
      span: prompt.span,
      severity: 'hint',
      code: 'reasoning-effort-lower',
      message: `reasoning_effort ${lowest} is the least ${estimate.model} accepts: fewer hidden reasoning tokens for a ${estimate.task} task.`,
      fix: {
        kind: 'change',
        changes: [{ kind: 'set-parameter', name: 'reasoning_effort', value: lowest! }],
        title: `Set reasoning_effort: ${lowest}`,
      },
    });
  }
  return hints;
}

/** What `service_tier` does to the price shown: flex is priced (Batch API rates); priority's rates are not known. */
function serviceTierHints(estimate: PromptEstimate): PromptDiagnostic[] {
  const { prompt } = estimate;
  if (prompt.kind !== 'chat' || estimate.requestProblems.some((problem) => problem.parameter === 'service_tier'))
    return [];
  const parameter = prompt.parameters.find((declared) => declared.name === 'service_tier');
  if (!parameter) return [];
  if (parameter.value === 'flex' && estimate.flex === true) {
    return [
      {
        span: parameter.span ?? prompt.span,
        severity: 'hint',
        code: 'service-tier-flex',
        message: `service_tier flex: priced at Batch API rates (half the standard price). Answers are slower, and when flex capacity is short the API answers 429 "resource unavailable"; Prompt Meter retries those with backoff.`,
      },
    ];
  }
  if (parameter.value === 'priority') {
    return [
      {
        span: parameter.span ?? prompt.span,
        severity: 'information',
        code: 'service-tier-priority',
        message: `service_tier priority is billed above the standard rates shown here (priority rates are not in the price data): read this estimate as a lower bound. The ledger records priority calls as price unknown.`,
      },
    ];
  }
  return [];
}
