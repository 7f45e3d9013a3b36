import type { CostEstimate } from '../pricing/cost';
import type { DocumentChunk } from './documentChunker';
import type { ReduceBudget } from './mapReduceMessages';

/**
 * The document to plan for: chunked text (exact counts), or only its token count and the chunk size
 * (an estimate: chunk count = ⌈(tokens − chunkTokens) / (chunkTokens − overlap)⌉ + 1, each chunk full).
 */
export type PlanDocument =
  | { readonly text: string; readonly chunks: readonly DocumentChunk[] }
  | { readonly documentTokens: number; readonly chunkTokens: number; readonly overlapTokens?: number };

/** What the map and reduce calls send: everything a runner needs besides the chunks. */
export interface MapReduceJob {
  /** Map prompt with `{{chunk}}`. */
  readonly mapTemplate: string;
  /** Reduce prompt with `{{partials}}`. */
  readonly reduceTemplate: string;
  /** Sent as the system message of every call, when set. */
  readonly systemPrompt?: string;
  readonly mapModel: string;
  readonly reduceModel: string;
  /** `max_tokens` of every map call. */
  readonly mapMaxTokens: number;
  /** `max_tokens` of every reduce call, the final answer's included. */
  readonly reduceMaxTokens: number;
}

/** The map calls: one per chunk. Token values are tokens; costs USD. */
export interface MapStage {
  readonly model: string;
  readonly calls: number;
  /** Input tokens of each map call in chunk order, chat framing included (exact from text, else bounds). */
  readonly inputTokens: readonly number[];
  readonly totalInputTokens: number;
  /** `max_tokens` of each call: the bound assumed for each partial answer. */
  readonly outputCap: number;
  /** Σ of each call's estimate (the long-context tier applies per call); undefined without a price. */
  readonly cost: CostEstimate | undefined;
}

/** One round of reduce calls. Level 1 combines the map answers, level 2 the level-1 answers, and so on. */
export interface ReduceLevel {
  readonly level: number;
  readonly model: string;
  /** Partials combined by each call, in order. */
  readonly groupSizes: readonly number[];
  /** Bound of each call's input tokens, every partial at `partialTokens` (see `reduceInputBound`). */
  readonly inputTokens: readonly number[];
  readonly totalInputTokens: number;
  /** Bound of each partial: the previous stage's `max_tokens`. */
  readonly partialTokens: number;
  readonly outputCap: number;
  readonly cost: CostEstimate | undefined;
}

/**
 * `unnecessary`: the document fits in one chunk; `optional`: it fits one call on the reduce model (or that
 * model's context window is unknown); `required`: one call on the reduce model cannot hold it.
 */
export type MapReduceNecessity = 'unnecessary' | 'optional' | 'required';

/**
 * A map-reduce run worked out in advance: calls, token bounds and cost on the chosen models. Bounds assume
 * every answer reaches its `max_tokens` (the worst case the API allows), so real runs cost at most this
 * (up to the prices in force) and need at most this many reduce calls.
 */
export interface MapReducePlan {
  readonly necessity: MapReduceNecessity;
  /** One sentence for the user on why map-reduce is (un)necessary here. */
  readonly reason: string;
  /** False when the run cannot work as set (a call over a context window, partials that never fit); see problems. */
  readonly feasible: boolean;
  /** Sentences the user can act on. */
  readonly problems: readonly string[];
  /** True when planned from a token count: the chunk count and map inputs are estimates. */
  readonly approximate: boolean;
  /** Tokens of the whole document. */
  readonly documentTokens: number;
  /** The chunks when planned from text (what `runMapReduce` sends). */
  readonly chunks?: readonly DocumentChunk[];
  readonly job: MapReduceJob;
  readonly map: MapStage;
  readonly reduceLevels: readonly ReduceLevel[];
  readonly reduceBudget: ReduceBudget;
  readonly totalCalls: number;
  readonly totalInputTokens: number;
  /** Σ of every call's `max_tokens`. */
  readonly totalOutputTokens: number;
  /** Standard and Batch API totals on the chosen models; undefined when a model has no price or the plan is not feasible. */
  readonly cost: CostEstimate | undefined;
  /** The one-call alternative: the reduce prompt with `{{partials}}` = the whole document, `max_tokens` = reduceMaxTokens. */
  readonly singleCall: { readonly inputTokens: number; readonly outputTokens: number };
}
