import type { PromptMapReduce } from '../chunking/promptMapReduce';
import type { CostEstimate } from '../pricing/cost';
import type { ModelPrice } from '../pricing/modelPrice';
import type { PromptDefinition, TaskKind } from '../prompts/promptTypes';
import type { EncodingName } from '../tokens/encodingForModel';
import type { RequestProblem } from '../models/requestRules';
import type { ReasoningExpectation } from './reasoningEstimate';
import type { Recommendation } from './recommender';

/** How the output side of the estimate is bounded. */
export type OutputBound =
  /** `max_tokens` × n from the prompt. */
  | 'max_tokens'
  /** No `max_tokens`: the model's maximum output, so the cost is an upper bound that may be far above reality. */
  | 'model-maximum'
  /** Embeddings produce no output tokens. */
  | 'none'
  /** No `max_tokens` and the model's maximum is unknown: output cost not included. */
  | 'unknown';

export interface MessageTokens {
  readonly role: string;
  readonly tokens: number;
}

export interface VariableTokens {
  readonly name: string;
  /** Tokens of the sample value (about: tokenization at the seams can differ by one or two). */
  readonly tokensEach: number;
  readonly occurrences: number;
  readonly value: string | undefined;
}

/** Everything shown for one prompt: computed locally, no network. All money figures are estimates in USD. */
export interface PromptEstimate {
  readonly prompt: PromptDefinition;
  readonly model: string;
  /** Where the model came from: the file, the `--model` / caller override, or the default setting. */
  readonly modelSource: 'file' | 'override' | 'default';
  readonly modelKnown: boolean;
  readonly encoding: EncodingName;
  /** Token counts use a guessed encoding (unknown model). */
  readonly approximate: boolean;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly outputBound: OutputBound;
  /** Undefined when the price is unknown ("price unknown — add an override", never $0). */
  readonly cost?: CostEstimate;
  /** The price the cost is at: the model's standard price, or Batch API rates for `service_tier: flex`. */
  readonly price?: ModelPrice;
  /** Priced as Flex processing (`service_tier: flex` on a model that serves it): Batch API rates. */
  readonly flex?: boolean;
  readonly contextWindow?: number;
  /** What the context window must hold: the input plus the output cap × n (0 without a cap). */
  readonly contextTokens: number;
  /** `contextTokens` is more than `contextWindow`: the API would answer 400 `context_length_exceeded`. */
  readonly exceedsContext: boolean;
  /** Settings the model rejects (the API would answer 400): errors before anything is sent. */
  readonly requestProblems: readonly RequestProblem[];
  /** Hidden reasoning tokens to expect per call (reasoning models): "expected", inside the output bound. */
  readonly reasoning?: ReasoningExpectation;
  /** `reasoning.expectedTokens` at the output rate, USD (estimate); undefined when the price is unknown. */
  readonly reasoningCost?: number;
  readonly task: TaskKind;
  readonly taskSource: 'declared' | 'detected';
  readonly recommendation?: Recommendation;
  /** Prompts with a `chunk:` section: the map-reduce plan and the one-call alternative. */
  readonly mapReduce?: PromptMapReduce;
  /** Included documents or chunk settings that could not be used, one sentence each. */
  readonly documentProblems?: readonly string[];
  readonly breakdown: {
    readonly messages: readonly MessageTokens[];
    readonly framing: number;
    readonly tools: number;
    readonly variables: readonly VariableTokens[];
    /** Image inputs, each with its tokens on this model (an estimate: what was assumed is listed). */
    readonly images?: readonly ImageTokens[];
  };
}

/** One image input's tokens on the estimated model. */
export interface ImageTokens {
  /** The path or URL as written. */
  readonly source: string;
  readonly tokens: number;
  /** What had to be assumed (size, detail, the model's rule); empty when the count follows OpenAI's rule exactly. */
  readonly assumptions: readonly string[];
}
