import type { EstimateOptions } from '../estimate/estimatePrompt';
import { estimatePrompt } from '../estimate/estimatePrompt';
import type { PromptEstimate } from '../estimate/promptEstimate';
import { editsForModel, type RecommendationRequest } from '../estimate/recommender';
import { MODEL_CATALOG } from '../models/modelCatalog';
import { requestProblems } from '../models/requestRules';
import { resolveModel } from '../models/resolveModel';
import { applyPromptChanges } from '../prompts/applyPromptChanges';
import type { ComparisonCandidate } from './compareTypes';

/** The current model plus at most this many candidates. */
export const MAXIMUM_CANDIDATES = 3;

export interface CandidateSelection {
  /** The current model first (no edits), then the candidates. */
  readonly candidates: readonly ComparisonCandidate[];
  /** Models asked for that cannot run the prompt, one sentence each. */
  readonly problems: readonly string[];
}

/**
 * Who takes part: the current model, then `models` when given, otherwise the recommendation and the cheapest other
 * valid models below the current model's estimated cost, each with the edits that make the prompt valid on it
 * (`editsForModel`), checked with `requestProblems` so no candidate is sent a request its API would reject.
 */
export function comparisonCandidates(
  estimate: PromptEstimate,
  options: EstimateOptions,
  models?: readonly string[],
): CandidateSelection {
  const request: RecommendationRequest = {
    task: estimate.task,
    prompt: estimate.prompt,
    currentModel: estimate.model,
    currentCost: estimate.cost ?? { input: 0, cachedInput: 0, outputMax: 0, total: 0, batchTotal: 0, currency: 'USD' },
    inputTokens: estimate.inputTokens,
    outputTokens: estimate.outputTokens,
    ...(options.reasoningHistory ? { reasoningHistory: options.reasoningHistory } : {}),
  };
  const current: ComparisonCandidate = {
    model: estimate.model,
    changes: [],
    estimatedRowUsd: estimate.cost?.total ?? null,
  };
  const problems: string[] = [];
  const candidateFor = (model: string): ComparisonCandidate | string => {
    const resolved = resolveModel(model, options.overrides);
    if (resolved.kind !== estimate.prompt.kind)
      return `${model} is an ${resolved.kind} model; this prompt needs a ${estimate.prompt.kind} model.`;
    const changes = editsForModel(request, model, options.overrides);
    if (!changes) return `${model}: the prompt's output cap does not fit the model's maximum output.`;
    const edited = applyPromptChanges(estimate.prompt, changes);
    const rejected = requestProblems(edited, resolved);
    if (rejected.length > 0)
      return `${model} would reject the request: ${rejected.map((problem) => problem.message).join(' ')}`;
    const cost = estimatePrompt(edited, { ...options, modelOverride: undefined, recommend: false }).cost;
    return { model, changes, estimatedRowUsd: cost?.total ?? null };
  };
  if (models && models.length > 0) {
    const chosen: ComparisonCandidate[] = [];
    for (const model of new Set(models)) {
      if (model === estimate.model) continue;
      const candidate = candidateFor(model);
      if (typeof candidate === 'string') problems.push(candidate);
      else chosen.push(candidate);
    }
    return { candidates: [current, ...chosen], problems };
  }
  const chosen: ComparisonCandidate[] = [];
  const recommended = estimate.recommendation?.model;
  if (recommended) {
    const candidate = candidateFor(recommended);
    if (typeof candidate !== 'string') chosen.push(candidate);
  }
  const cheaper: ComparisonCandidate[] = [];
  for (const model of MODEL_CATALOG) {
    if (model.legacy || model.kind !== estimate.prompt.kind || model.id === estimate.model || model.id === recommended)
      continue;
    if (model.kind === 'chat' && !model.endpoints.includes('chat')) continue;
    const candidate = candidateFor(model.id);
    if (typeof candidate === 'string' || candidate.estimatedRowUsd === null) continue;
    if (current.estimatedRowUsd !== null && candidate.estimatedRowUsd >= current.estimatedRowUsd) continue;
    cheaper.push(candidate);
  }
  cheaper.sort((left, right) => (left.estimatedRowUsd ?? 0) - (right.estimatedRowUsd ?? 0));
  chosen.push(...cheaper.slice(0, MAXIMUM_CANDIDATES - chosen.length));
  return { candidates: [current, ...chosen], problems };
}

/** The trial's estimated cost: every candidate × every row at its estimated row cost; null when a price is unknown. */
export function estimatedTrialUsd(candidates: readonly ComparisonCandidate[], rows: number): number | null {
  let total = 0;
  for (const candidate of candidates) {
    if (candidate.estimatedRowUsd === null) return null;
    total += candidate.estimatedRowUsd * rows;
  }
  return total;
}
