import { DEFAULT_REASONING_TOKENS, type ReasoningEffort } from '../models/reasoningEffort';
import { effectiveEffort } from '../models/requestRules';
import type { ResolvedModel } from '../models/resolveModel';
import type { PromptDefinition } from '../prompts/promptTypes';

/** Reasoning tokens this prompt's own recent calls on a model used (median), from the ledger. */
export interface ReasoningObservation {
  readonly medianReasoningTokens: number;
  readonly calls: number;
}

/** Looks up a prompt file's recent calls on a model; undefined when it has none. Must not touch the network. */
export type ReasoningHistory = (file: string, model: string) => ReasoningObservation | undefined;

/** Hidden reasoning tokens to expect per call: labelled "expected", never part of the bound. */
export interface ReasoningExpectation {
  readonly effort: ReasoningEffort;
  /** Declared in the file, or the model's default (or an assumed one where OpenAI publishes none). */
  readonly effortSource: 'declared' | 'default';
  readonly expectedTokens: number;
  /** `ledger`: the median of `calls` recent calls of this prompt; `assumed`: the per-effort default. */
  readonly source: 'ledger' | 'assumed';
  readonly calls: number;
  /** The efforts the model accepts (for "lower the effort" fixes). */
  readonly acceptedEfforts: readonly ReasoningEffort[];
}

/** What a reasoning model will likely spend on reasoning for this prompt; undefined for models that do not reason. */
export function expectReasoning(
  prompt: PromptDefinition,
  model: ResolvedModel,
  history?: ReasoningHistory,
): ReasoningExpectation | undefined {
  const effort = effectiveEffort(prompt, model);
  if (!effort) return undefined;
  const declared = prompt.parameters.some(
    (parameter) => parameter.name === 'reasoning_effort' && parameter.value === effort,
  );
  const observed = effort === 'none' ? undefined : history?.(prompt.file, model.name);
  if (observed && observed.calls > 0) {
    return {
      effort,
      effortSource: declared ? 'declared' : 'default',
      expectedTokens: observed.medianReasoningTokens,
      source: 'ledger',
      calls: observed.calls,
      acceptedEfforts: model.reasoningEfforts,
    };
  }
  return {
    effort,
    effortSource: declared ? 'declared' : 'default',
    expectedTokens: DEFAULT_REASONING_TOKENS[effort],
    source: 'assumed',
    calls: 0,
    acceptedEfforts: model.reasoningEfforts,
  };
}

/**
 * An output cap with room for reasoning: the visible answer the prompt allowed plus twice the expected reasoning
 * (reasoning varies call to call), rounded up to a multiple of 8.
 */
export function capWithReasoningRoom(visibleCap: number, expectedReasoningTokens: number): number {
  return Math.ceil((visibleCap + 2 * expectedReasoningTokens) / 8) * 8;
}

/** True when reasoning is expected to take half the cap or more, so the answer is likely cut off or empty. */
export function capLikelyUsedByReasoning(cap: number, expectation: ReasoningExpectation | undefined): boolean {
  return expectation !== undefined && expectation.expectedTokens > 0 && expectation.expectedTokens * 2 >= cap;
}
