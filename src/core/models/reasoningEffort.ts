/** OpenAI's `reasoning_effort` levels, least to most (`max` is gpt-5.6 and later). */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** Used where a reasoning model's default effort is not published (gpt-6): labelled as an assumption. */
export const ASSUMED_DEFAULT_EFFORT: ReasoningEffort = 'medium';

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (REASONING_EFFORTS as readonly string[]).includes(value);
}

/** The least effort of those a model accepts (`none` before `minimal` before `low`). */
export function lowestEffort(accepted: readonly ReasoningEffort[]): ReasoningEffort | undefined {
  return REASONING_EFFORTS.find((effort) => accepted.includes(effort));
}

/**
 * Reasoning tokens to expect per call at each effort when this prompt has no calls of its own in the ledger yet.
 * OpenAI publishes no per-effort figures: its reasoning guide says reasoning can take "from a few hundred to tens of
 * thousands" of tokens and advises reserving about 25,000 for reasoning and output when starting out
 * (developers.openai.com/api/docs/guides/reasoning, "Allocating space for reasoning"). These are Prompt Meter's own
 * working assumptions for short, single-turn tasks, shown as "expected (assumed)" and replaced by the median of the
 * prompt's own calls once there are some. `none` does not reason.
 */
export const DEFAULT_REASONING_TOKENS: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 96,
  low: 384,
  medium: 1_536,
  high: 4_608,
  xhigh: 9_216,
  max: 18_432,
};

/** Where the assumption comes from, for labels. */
export const DEFAULT_REASONING_SOURCE =
  "Prompt Meter's per-effort assumption (OpenAI publishes none), until this prompt has calls in the ledger";
