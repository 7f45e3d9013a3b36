import type { PromptChange } from '../prompts/promptTypes';

/** One model in a comparison: the current model (no edits) or a candidate with the edits that make the prompt valid on it. */
export interface ComparisonCandidate {
  readonly model: string;
  /** Every change to write when switching (the model itself first); empty for the current model. */
  readonly changes: readonly PromptChange[];
  /** Estimated cost of one row on this model (the prompt's sample values, output at its bound); null: price unknown. */
  readonly estimatedRowUsd: number | null;
}

/** One answer of one model to one row. */
export interface RowAnswer {
  readonly row: number;
  readonly model: string;
  /** The answer text ('' when the call failed or answered nothing). */
  readonly text: string;
  /** finish_reason `length` or `content_filter`: the answer was cut off. */
  readonly truncated: boolean;
  readonly error?: string;
  /** Answered from Prompt Meter's cache (or a shared in-flight call): free, and its latency says nothing about the model. */
  readonly cached: boolean;
  readonly latencyMs: number;
  readonly costUsd: number | null;
  /** The usage priced at standard and at Batch API rates (also for cache hits); null: price unknown. */
  readonly standardUsd: number | null;
  readonly batchUsd: number | null;
  readonly reasoningTokens: number;
}

/** The verdict on one answer. */
export interface RowScore {
  readonly passed: boolean;
  /** Why it failed, or what it scored (e.g. "similarity 0.93 ≥ 0.85"). */
  readonly detail: string;
}

/** One model's line of the result (the `--json` shape of issue 14). */
export interface ModelComparison {
  readonly model: string;
  readonly passed: number;
  readonly total: number;
  readonly passRate: number;
  /** Wilson score interval at 95 %. */
  readonly interval: readonly [number, number];
  /** Money this trial spent on the model (cache hits are free); null: price unknown. */
  readonly costUsd: number | null;
  /** The answers' usage scaled to 1,000 rows at standard and Batch API prices; null: price unknown. */
  readonly costPer1kRows: { readonly standard: number | null; readonly batch: number | null };
  /** Over the answers that were real HTTP calls (queueing in the client included); null when all came from the cache. */
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly reasoningTokens: number;
  readonly truncated: number;
  /** Calls that failed (an API error, e.g. 404 for a model the account cannot use): they fail scoring and have no cost or latency. Optional in files saved before it existed. */
  readonly failed?: number;
  readonly edits: readonly PromptChange[];
  /** (current − this model) cost per row × the prompt's calls in the ledger over the last 30 days; null: no volume or price. */
  readonly monthlySavingUsd: number | null;
}

/** Rows where the models do not all pass: the answers side by side. */
export interface Disagreement {
  readonly row: number;
  readonly answers: Readonly<
    Record<string, { readonly text: string; readonly passed: boolean; readonly detail: string }>
  >;
}

/** What a comparison found: printed by `--json`, saved under `.promptmeter/comparisons/`. */
export interface ComparisonResult {
  readonly rows: number;
  /** `evaluators` when the prompt's own evaluators scored the answers, otherwise the current model's answers. */
  readonly reference: 'evaluators' | string;
  readonly threshold: number;
  readonly models: readonly ModelComparison[];
  /** The cheapest model whose pass rate is at least the threshold; null when none is (or prices are unknown). */
  readonly recommended: string | null;
  /** LLM-as-judge calls (and similarity embeddings) of the scoring, USD; null when a price is unknown. */
  readonly judgeCostUsd: number | null;
}

/** The saved comparison: the result plus what it was run on. */
export interface SavedComparison extends ComparisonResult {
  readonly id: string;
  readonly file: string;
  /** SHA-256 of the prompt file's text: the comparison speaks for this text only. */
  readonly promptHash: string;
  readonly time: string;
  /** How free text was scored, shown next to the table (e.g. "embedding cosine ≥ 0.85"). */
  readonly scoring: string;
  readonly disagreements: readonly Disagreement[];
}
