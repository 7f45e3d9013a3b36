import { MODEL_CATALOG, type CapabilityTier } from '../models/modelCatalog';
import { lowestEffort, type ReasoningEffort } from '../models/reasoningEffort';
import { requestProblems, samplingAccepted } from '../models/requestRules';
import { resolveModel, type ResolvedModel } from '../models/resolveModel';
import { estimateCost, type CostEstimate } from '../pricing/cost';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import { applyPromptChanges } from '../prompts/applyPromptChanges';
import type { PromptChange, PromptDefinition, TaskKind } from '../prompts/promptTypes';
import { imageTokens } from '../tokens/imageTokens';
import { formatUsd } from './formatting';
import {
  capWithReasoningRoom,
  expectReasoning,
  type ReasoningExpectation,
  type ReasoningHistory,
} from './reasoningEstimate';
import { TASK_PROFILES } from './taskProfile';

export interface Recommendation {
  readonly model: string;
  readonly tier: CapabilityTier;
  /** Estimated cost on the recommended model at its output bound (which includes room for reasoning). */
  readonly cost: CostEstimate;
  /** Current total minus recommended total, USD (estimate). */
  readonly saving: number;
  /** saving / current total. */
  readonly savingFraction: number;
  readonly reason: string;
  /** Every change that makes the prompt valid (and sensible) on the model, the model itself first. */
  readonly changes: readonly PromptChange[];
  /** Reasoning the model is expected to spend per call with those changes (reasoning models only). */
  readonly reasoning?: ReasoningExpectation;
  /** One line that says exactly what changes, e.g. `gpt-5-nano · reasoning_effort minimal · max_completion_tokens 10→200 · drops temperature 0 · ~$0.00004 (−35%)`. */
  readonly summary: string;
}

export interface RecommendationRequest {
  readonly task: TaskKind;
  readonly prompt: PromptDefinition;
  readonly currentModel: string;
  readonly currentCost: CostEstimate;
  readonly inputTokens: number;
  /** The output bound of the current estimate (max_tokens × n, or the model's maximum). */
  readonly outputTokens: number;
  readonly reasoningHistory?: ReasoningHistory;
}

/** What the edits for a model depend on: the prompt, its task and the model it is written for (not the costs). */
export type EditRequest = Pick<RecommendationRequest, 'task' | 'prompt' | 'currentModel' | 'reasoningHistory'>;

/** Ignore "savings" below this share: not worth a model change. */
const MINIMUM_SAVING_FRACTION = 0.05;
/** A candidate that needs no edits beyond the model wins over a cheaper one that does, within this share. */
const PREFER_UNEDITED_WITHIN = 0.1;
/** Tasks a low reasoning effort does well (the others keep the declared or default effort). */
const SIMPLE_TASKS: ReadonlySet<TaskKind> = new Set([
  'classify',
  'extract',
  'rewrite',
  'translate',
  'summarize',
  'qa',
  'chat',
]);

interface Candidate {
  readonly model: ResolvedModel;
  readonly changes: PromptChange[];
  readonly edited: PromptDefinition;
  readonly reasoning?: ReasoningExpectation;
  readonly cost: CostEstimate;
}

/**
 * The cheapest model whose capability tier fits the task and whose context fits the prompt, priced with the edits
 * that make the prompt valid on it (sampling parameters a reasoning model rejects dropped, a low reasoning effort for
 * simple tasks where accepted, the cap raised to leave room for expected reasoning), when meaningfully cheaper.
 * A candidate whose edited request the API would still reject is never offered; legacy models never are.
 */
export function recommendModel(
  request: RecommendationRequest,
  pricing: Pricing,
  overrides: PriceOverrides = {},
): Recommendation | undefined {
  if (request.prompt.kind !== 'chat' && request.prompt.kind !== 'embedding') return undefined;
  const minimumTier = TASK_PROFILES[request.task].minimumTier;
  const names = new Set<string>(MODEL_CATALOG.filter((model) => !model.legacy).map((model) => model.id));
  for (const [name, override] of Object.entries(overrides)) if (override.tier !== undefined) names.add(name);
  // The answer the prompt's cap allows is the same for every candidate: worked out once.
  const visibleCap = visibleCapOf(request, overrides);
  // Image inputs cost different tokens on each model (OpenAI's per-family image rules): swapped per candidate.
  const hasImages = request.prompt.messages.some((message) => (message.images?.length ?? 0) > 0);
  const textTokens = hasImages
    ? request.inputTokens - imageInputTokens(request.prompt, request.currentModel)
    : request.inputTokens;
  const candidates: Candidate[] = [];
  for (const name of names) {
    if (name === request.currentModel) continue;
    const model = resolveModel(name, overrides);
    if (model.kind !== request.prompt.kind || model.tier === undefined || model.tier < minimumTier) continue;
    if (model.kind === 'chat' && !model.endpoints.includes('chat') && !model.endpoints.includes('responses')) continue;
    const price = pricing.priceFor(name);
    if (!price) continue;
    const changes = changesFor(request, model, visibleCap);
    if (!changes) continue;
    const edited = applyPromptChanges(request.prompt, changes);
    if (model.kind === 'chat' && requestProblems(edited, model).length > 0) continue;
    const reasoning = model.kind === 'chat' ? expectReasoning(edited, model, request.reasoningHistory) : undefined;
    const outputTokens = outputBound(edited, model, request.outputTokens);
    const requested = edited.maxTokens !== undefined ? edited.maxTokens * edited.choices : 0;
    const inputTokens = hasImages ? textTokens + imageInputTokens(request.prompt, name) : request.inputTokens;
    if (model.contextWindow !== undefined && inputTokens + requested > model.contextWindow) continue;
    candidates.push({ model, changes, edited, reasoning, cost: estimateCost(price, inputTokens, outputTokens) });
  }
  const best = pick(candidates);
  if (!best) return undefined;
  const saving = request.currentCost.total - best.cost.total;
  const savingFraction = request.currentCost.total > 0 ? saving / request.currentCost.total : 0;
  if (savingFraction < MINIMUM_SAVING_FRACTION) return undefined;
  return {
    model: best.model.name,
    tier: best.model.tier!,
    cost: best.cost,
    saving,
    savingFraction,
    reason: `cheapest model of tier ${best.model.tier} or above for a ${request.task} task whose context fits the prompt, with the edits that make the request valid on it`,
    changes: best.changes,
    ...(best.reasoning ? { reasoning: best.reasoning } : {}),
    summary: summarize(request.prompt, best, savingFraction),
  };
}

/** The cheapest candidate, unless one needing no edits beyond the model costs about the same. */
/** Input tokens of a prompt's images on `model`. */
function imageInputTokens(prompt: PromptDefinition, model: string): number {
  let total = 0;
  for (const message of prompt.messages)
    for (const image of message.images ?? []) total += imageTokens(model, image).tokens;
  return total;
}

function pick(candidates: readonly Candidate[]): Candidate | undefined {
  const sorted = [...candidates].sort((left, right) => left.cost.total - right.cost.total);
  const cheapest = sorted[0];
  if (!cheapest || cheapest.changes.length === 1) return cheapest;
  const unedited = sorted.find((candidate) => candidate.changes.length === 1);
  return unedited && unedited.cost.total <= cheapest.cost.total * (1 + PREFER_UNEDITED_WITHIN) ? unedited : cheapest;
}

/**
 * The changes that make the prompt valid (and its answer unlikely to be cut off by reasoning) on `modelName`: what
 * Choose Model and Apply write. Undefined when no change can (the cap does not fit the model's maximum).
 */
export function editsForModel(
  request: EditRequest,
  modelName: string,
  overrides: PriceOverrides = {},
): PromptChange[] | undefined {
  return changesFor(request, resolveModel(modelName, overrides), visibleCapOf(request, overrides));
}

/** The changes that make the prompt valid on `model`, or undefined when no change can (e.g. the cap does not fit). */
function changesFor(request: EditRequest, model: ResolvedModel, visibleCap: number): PromptChange[] | undefined {
  const { prompt } = request;
  const changes: PromptChange[] = [{ kind: 'set-model', model: model.name }];
  if (prompt.kind !== 'chat') return changes;
  const declaredEffort = prompt.parameters.find((parameter) => parameter.name === 'reasoning_effort');
  let effort: ReasoningEffort | undefined;
  if (model.reasoning) {
    effort = chooseEffort(request.task, model, declaredEffort?.value);
    if (
      effort !== undefined &&
      effort !== declaredEffort?.value &&
      (declaredEffort || effort !== model.defaultReasoningEffort)
    ) {
      changes.push({ kind: 'set-parameter', name: 'reasoning_effort', value: effort });
    }
  } else {
    if (declaredEffort) changes.push({ kind: 'remove-parameter', name: 'reasoning_effort' });
    if (prompt.parameters.some((parameter) => parameter.name === 'verbosity') && !model.verbosity)
      changes.push({ kind: 'remove-parameter', name: 'verbosity' });
  }
  for (const parameter of prompt.parameters) {
    if (!samplingAccepted(parameter, model, effort)) changes.push({ kind: 'remove-parameter', name: parameter.name });
  }
  if (prompt.maxTokens !== undefined) {
    const expected = model.reasoning
      ? (expectReasoning(applyPromptChanges(prompt, changes), model, request.reasoningHistory)?.expectedTokens ?? 0)
      : 0;
    const cap = expected > 0 ? capWithReasoningRoom(visibleCap, expected) : visibleCap;
    if (model.maxOutputTokens !== undefined && cap > model.maxOutputTokens) return undefined;
    if (cap !== prompt.maxTokens) changes.push({ kind: 'set-max-tokens', value: cap });
  }
  return changes;
}

/**
 * The visible answer the prompt's cap allows: the cap itself, unless the current model reasons, where part of it is
 * reasoning room (what is left after the expected reasoning, at least the task's typical answer).
 */
function visibleCapOf(request: EditRequest, overrides: PriceOverrides): number {
  const cap = request.prompt.maxTokens ?? 0;
  const current = resolveModel(request.currentModel, overrides);
  const reasoning = current.reasoning
    ? (expectReasoning(request.prompt, current, request.reasoningHistory)?.expectedTokens ?? 0)
    : 0;
  if (reasoning === 0) return cap;
  return Math.min(cap, Math.max(cap - 2 * reasoning, TASK_PROFILES[request.task].suggestedMaxTokens));
}

/** A simple task runs at the lowest effort the model accepts; others keep the declared (if accepted) or default. */
function chooseEffort(task: TaskKind, model: ResolvedModel, declared: unknown): ReasoningEffort | undefined {
  if (SIMPLE_TASKS.has(task)) return lowestEffort(model.reasoningEfforts);
  if (typeof declared === 'string' && (model.reasoningEfforts as readonly string[]).includes(declared))
    return declared as ReasoningEffort;
  return undefined;
}

function outputBound(prompt: PromptDefinition, model: ResolvedModel, currentBound: number): number {
  if (prompt.kind === 'embedding') return 0;
  if (prompt.maxTokens !== undefined) return prompt.maxTokens * prompt.choices;
  return Math.min(currentBound, (model.maxOutputTokens ?? currentBound) * prompt.choices);
}

function summarize(prompt: PromptDefinition, candidate: Candidate, savingFraction: number): string {
  const parts: string[] = [candidate.model.name];
  for (const change of candidate.changes) {
    if (change.kind === 'set-parameter') parts.push(`${change.name} ${String(change.value)}`);
    else if (change.kind === 'set-max-tokens')
      parts.push(
        `${candidate.model.reasoning ? 'max_completion_tokens' : 'max_tokens'} ${prompt.maxTokens ?? '—'}→${change.value}`,
      );
    else if (change.kind === 'remove-parameter') {
      const value = prompt.parameters.find((parameter) => parameter.name === change.name)?.value;
      parts.push(`drops ${change.name}${value === undefined || typeof value === 'object' ? '' : ` ${String(value)}`}`);
    }
  }
  parts.push(`~${formatUsd(candidate.cost.total)} (−${Math.round(savingFraction * 100)}%)`);
  return parts.join(' · ');
}
