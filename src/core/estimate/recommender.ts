import { MODEL_CATALOG, type CapabilityTier } from '../models/modelCatalog';
import { resolveModel } from '../models/resolveModel';
import { estimateCost, type CostEstimate } from '../pricing/cost';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { TaskKind } from '../prompts/promptTypes';
import { TASK_PROFILES } from './taskProfile';

export interface Recommendation {
  readonly model: string;
  readonly tier: CapabilityTier;
  /** Estimated cost on the recommended model with the same output bound as the current estimate. */
  readonly cost: CostEstimate;
  /** Current total minus recommended total, USD (estimate). */
  readonly saving: number;
  /** saving / current total. */
  readonly savingFraction: number;
  readonly reason: string;
}

export interface RecommendationRequest {
  readonly task: TaskKind;
  readonly kind: 'chat' | 'embedding';
  readonly currentModel: string;
  readonly currentCost: CostEstimate;
  readonly inputTokens: number;
  /** The output bound of the current estimate (max_tokens × n, or the model's maximum). */
  readonly outputTokens: number;
  /** max_tokens × n when the prompt sets it: the candidate must be able to produce it. */
  readonly requestedOutputTokens?: number;
}

/** Ignore "savings" below this share: not worth a model change. */
const MINIMUM_SAVING_FRACTION = 0.05;

/**
 * The cheapest model whose capability tier fits the task and whose context window fits the prompt,
 * when it is meaningfully cheaper than the current one. Legacy models are never recommended.
 */
export function recommendModel(request: RecommendationRequest, pricing: Pricing, overrides: PriceOverrides = {}): Recommendation | undefined {
  const minimumTier = TASK_PROFILES[request.task].minimumTier;
  const candidates = new Set<string>(MODEL_CATALOG.filter((model) => !model.legacy).map((model) => model.id));
  for (const [name, override] of Object.entries(overrides)) if (override.tier !== undefined) candidates.add(name);
  let best: Recommendation | undefined;
  for (const name of candidates) {
    if (name === request.currentModel) continue;
    const model = resolveModel(name, overrides);
    if (model.kind !== request.kind || model.tier === undefined || model.tier < minimumTier) continue;
    if (request.requestedOutputTokens !== undefined && (model.maxOutputTokens ?? 0) < request.requestedOutputTokens && request.kind === 'chat') continue;
    const outputTokens = Math.min(request.outputTokens, model.maxOutputTokens ?? request.outputTokens);
    if (model.contextWindow !== undefined && request.inputTokens + (request.requestedOutputTokens ?? 0) > model.contextWindow) continue;
    const price = pricing.priceFor(name);
    if (!price) continue;
    const cost = estimateCost(price, request.inputTokens, outputTokens);
    if (best && cost.total >= best.cost.total) continue;
    const saving = request.currentCost.total - cost.total;
    best = {
      model: name,
      tier: model.tier,
      cost,
      saving,
      savingFraction: request.currentCost.total > 0 ? saving / request.currentCost.total : 0,
      reason: `cheapest model of tier ${model.tier} or above for a ${request.task} task whose context fits the prompt`,
    };
  }
  if (!best || best.savingFraction < MINIMUM_SAVING_FRACTION) return undefined;
  return best;
}
