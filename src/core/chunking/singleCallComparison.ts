import { TASK_PROFILES } from '../estimate/taskProfile';
import { formatTokens, formatUsd } from '../estimate/formatting';
import { MODEL_CATALOG, type CapabilityTier } from '../models/modelCatalog';
import { resolveModel } from '../models/resolveModel';
import { estimateCost, type CostEstimate } from '../pricing/cost';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { TaskKind } from '../prompts/promptTypes';
import type { MapReducePlan } from './mapReducePlanTypes';

/** One call with the whole document on a model whose context window holds it. Tokens; USD. */
export interface SingleCallOption {
  readonly model: string;
  readonly tier: CapabilityTier;
  readonly contextWindow: number;
  readonly inputTokens: number;
  /** The reduce `max_tokens`: the single call gives the final answer directly. */
  readonly outputTokens: number;
  readonly cost: CostEstimate;
}

export interface SingleCallComparison {
  readonly task: TaskKind;
  readonly minimumTier: CapabilityTier;
  /** The cheapest adequate model whose context fits; undefined when none does (or none has a price). */
  readonly singleCall: SingleCallOption | undefined;
  /** The plan's cost on its chosen models; undefined when unknown. */
  readonly mapReduceCost: CostEstimate | undefined;
  /** single − map-reduce total, USD, both at their output caps. Positive: map-reduce is cheaper; negative: it costs more. */
  readonly saving: number | undefined;
  /** The same difference at Batch API prices. */
  readonly batchSaving: number | undefined;
  /** One or two sentences for the user, honest about which side is cheaper. */
  readonly summary: string;
}

export interface CompareOptions {
  /** The task of the prompt; its TASK_PROFILES minimum tier decides which models are adequate (default summarize). */
  readonly task?: TaskKind;
  /** Custom models (with a `tier`) are candidates too. */
  readonly overrides?: PriceOverrides;
}

/**
 * Puts a map-reduce plan next to the cheapest single call that could do the job: a non-legacy chat model of
 * at least the task's minimum tier whose context window holds the whole document, the prompt and
 * `max_tokens` (and whose output limit allows that `max_tokens`). Ties go to the alphabetically first model,
 * so the answer is deterministic. Both costs are bounds at the output caps.
 */
export function compareWithSingleCall(
  plan: MapReducePlan,
  pricing: Pricing,
  options: CompareOptions = {},
): SingleCallComparison {
  const task = options.task ?? 'summarize';
  const overrides = options.overrides ?? {};
  const minimumTier = TASK_PROFILES[task].minimumTier;
  const singleCall = cheapestSingleCall(
    plan.singleCall.inputTokens,
    plan.singleCall.outputTokens,
    minimumTier,
    pricing,
    overrides,
  );
  const mapReduceCost = plan.cost;
  const saving = singleCall && mapReduceCost ? singleCall.cost.total - mapReduceCost.total : undefined;
  const batchSaving = singleCall && mapReduceCost ? singleCall.cost.batchTotal - mapReduceCost.batchTotal : undefined;
  return {
    task,
    minimumTier,
    singleCall,
    mapReduceCost,
    saving,
    batchSaving,
    summary: summarize(plan, singleCall, mapReduceCost, saving, minimumTier),
  };
}

function cheapestSingleCall(
  inputTokens: number,
  outputTokens: number,
  minimumTier: CapabilityTier,
  pricing: Pricing,
  overrides: PriceOverrides,
): SingleCallOption | undefined {
  const names = new Set<string>(
    MODEL_CATALOG.filter((model) => !model.legacy && model.kind === 'chat').map((model) => model.id),
  );
  for (const [name, override] of Object.entries(overrides)) if (override.tier !== undefined) names.add(name);
  let best: SingleCallOption | undefined;
  for (const name of [...names].sort()) {
    const model = resolveModel(name, overrides);
    if (model.kind !== 'chat' || model.tier === undefined || model.tier < minimumTier) continue;
    if (model.contextWindow === undefined || inputTokens + outputTokens > model.contextWindow) continue;
    if (model.maxOutputTokens !== undefined && outputTokens > model.maxOutputTokens) continue;
    const price = pricing.priceFor(name);
    if (!price) continue;
    const cost = estimateCost(price, inputTokens, outputTokens);
    if (best && cost.total >= best.cost.total) continue;
    best = { model: name, tier: model.tier, contextWindow: model.contextWindow, inputTokens, outputTokens, cost };
  }
  return best;
}

function summarize(
  plan: MapReducePlan,
  single: SingleCallOption | undefined,
  mapReduce: CostEstimate | undefined,
  saving: number | undefined,
  minimumTier: CapabilityTier,
): string {
  const needed = formatTokens(plan.singleCall.inputTokens + plan.singleCall.outputTokens);
  if (!single) {
    return `No priced model of tier ${minimumTier} or above has a context window for the whole document (${needed} tokens with the prompt and max_tokens): map-reduce is the only way.`;
  }
  const singleText = `one call with the whole document on ${single.model} (~${formatUsd(single.cost.total)})`;
  if (!mapReduce || saving === undefined)
    return `The map-reduce cost is unknown (${plan.problems[0] ?? 'no price'}); ${singleText}.`;
  const models =
    plan.job.mapModel === plan.job.reduceModel ? plan.job.mapModel : `${plan.job.mapModel} + ${plan.job.reduceModel}`;
  const mapReduceText = `Map-reduce on ${models} (${plan.totalCalls} calls, ~${formatUsd(mapReduce.total)})`;
  if (saving > 0) return `${mapReduceText} costs ~${formatUsd(saving)} less than ${singleText}.`;
  if (saving < 0)
    return `${mapReduceText} costs ~${formatUsd(-saving)} more than ${singleText}: the single call is cheaper; chunk only if quality or the context window needs it.`;
  return `${mapReduceText} costs the same as ${singleText}.`;
}
