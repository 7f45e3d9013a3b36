import type { EncodingName } from '../tokens/encodingForModel';
import type { ReasoningEffort } from './reasoningEffort';

/**
 * Capability tiers used to pick "the cheapest adequate model": 1 basic (nano-class), 2 standard (mini-class),
 * 3 advanced (flagship non-reasoning), 4 reasoning, 5 frontier.
 */
export type CapabilityTier = 1 | 2 | 3 | 4 | 5;

export const TIER_NAMES: Readonly<Record<CapabilityTier, string>> = {
  1: 'basic',
  2: 'standard',
  3: 'advanced',
  4: 'reasoning',
  5: 'frontier',
};

/** The OpenAI endpoints that serve a model: `/v1/chat/completions`, `/v1/responses`, the Batch API, `/v1/embeddings`. */
export const MODEL_ENDPOINTS = ['chat', 'responses', 'batch', 'embeddings'] as const;
export type ModelEndpoint = (typeof MODEL_ENDPOINTS)[number];

/** The request rules of a model: what it accepts, as OpenAI answers it (a 400 otherwise). */
export interface ModelRules {
  /** Produces hidden reasoning tokens billed as output (and takes `max_completion_tokens`, never `max_tokens`). */
  readonly reasoning: boolean;
  /** The `reasoning_effort` values it accepts (empty: the parameter is rejected). */
  readonly reasoningEfforts: readonly ReasoningEffort[];
  /** The effort used when the request names none; undefined when OpenAI publishes none (we assume `medium`). */
  readonly defaultReasoningEffort?: ReasoningEffort;
  /**
   * Reasoning models reject sampling parameters (temperature/top_p other than 1, penalties, logprobs, logit_bias);
   * some families accept temperature, top_p and logprobs with `reasoning_effort: none`.
   */
  readonly samplingWithEffortNone: boolean;
  /** Accepts `response_format: {type: "json_schema"}` (Structured Outputs). */
  readonly structuredOutputs: boolean;
  /** Accepts `verbosity` (gpt-5 family and later). */
  readonly verbosity: boolean;
  /**
   * Accepts `service_tier: "flex"` (Flex processing, billed at Batch API rates); undefined when not known. OpenAI's
   * flex guide (developers.openai.com/api/docs/guides/flex-processing): "Tokens are priced at Batch API rates",
   * "in beta with limited model availability", a model without it answers 400 (Azure's flex guide says the same).
   */
  readonly flexProcessing?: boolean;
}

export interface CatalogModel extends ModelRules {
  readonly id: string;
  readonly kind: 'chat' | 'embedding';
  /** Total tokens (input + output) the model accepts. */
  readonly contextWindow: number;
  /** Largest `max_tokens` the model accepts (0 for embeddings). */
  readonly maxOutputTokens: number;
  readonly tier: CapabilityTier;
  readonly encoding: EncodingName;
  /** Endpoints that serve it (from the model page's "Endpoints" list). */
  readonly endpoints: readonly ModelEndpoint[];
  /** Still callable but superseded: never recommended. */
  readonly legacy?: boolean;
}

/** Date the catalog's limits were checked against OpenAI's model pages. */
export const CATALOG_AS_OF = '2026-11-26';

const K = 1000;
export const CHAT_ENDPOINTS: readonly ModelEndpoint[] = ['chat', 'responses', 'batch'];
export const EMBEDDING_ENDPOINTS: readonly ModelEndpoint[] = ['embeddings', 'batch'];
/** Served only through `/v1/responses` (and its Batch API url), as the model page says. */
const RESPONSES_ONLY: readonly ModelEndpoint[] = ['responses', 'batch'];
const NO_REASONING = {
  reasoning: false,
  reasoningEfforts: [],
  samplingWithEffortNone: false,
  verbosity: false,
  flexProcessing: false,
} as const;
function chat(
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  tier: CapabilityTier,
  extra: Partial<CatalogModel> = {},
): CatalogModel {
  const encoding: EncodingName = /^(gpt-4(?![o.])|gpt-3\.5)/.test(id) ? 'cl100k_base' : 'o200k_base';
  return {
    id,
    kind: 'chat',
    contextWindow,
    maxOutputTokens,
    tier,
    encoding,
    ...NO_REASONING,
    structuredOutputs: true,
    endpoints: CHAT_ENDPOINTS,
    ...extra,
  };
}
/** A reasoning family: the efforts it accepts, its default, and whether `none` re-enables sampling parameters. */
interface ReasoningFamily {
  readonly reasoningEfforts: readonly ReasoningEffort[];
  readonly defaultReasoningEffort?: ReasoningEffort;
  readonly samplingWithEffortNone: boolean;
  readonly verbosity: boolean;
  readonly flexProcessing?: boolean;
}
function reasoning(
  id: string,
  contextWindow: number,
  maxOutputTokens: number,
  tier: CapabilityTier,
  family: ReasoningFamily,
  extra: Partial<CatalogModel> = {},
): CatalogModel {
  return chat(id, contextWindow, maxOutputTokens, tier, {
    reasoning: true,
    flexProcessing: undefined,
    ...family,
    ...extra,
  });
}
function embedding(id: string): CatalogModel {
  return {
    id,
    kind: 'embedding',
    contextWindow: 8191,
    maxOutputTokens: 0,
    tier: 1,
    encoding: 'cl100k_base',
    ...NO_REASONING,
    structuredOutputs: false,
    endpoints: EMBEDDING_ENDPOINTS,
  };
}

/*
 * Reasoning families, from OpenAI's reasoning guide and model pages (developers.openai.com/api/docs/guides/reasoning,
 * .../models/<id>) and the errors the API returns ("Unsupported value: 'minimal' is not supported with the 'gpt-5.1'
 * model. Supported values are: 'none', 'low', 'medium', and 'high'." — openai-agents-python#2089):
 * - o-series: low/medium/high, default medium; sampling parameters never.
 * - gpt-5 / -mini / -nano: minimal/low/medium/high, default medium; sampling never.
 * - gpt-5.1: none/low/medium/high, default none; temperature/top_p/logprobs only with effort none (GPT-5.1/5.2 guide).
 * - gpt-5.2 … gpt-5.5: none/low/medium/high/xhigh, default none; sampling only with none (same guide).
 * - gpt-5.6 sol/terra/luna: none/low/medium/high/xhigh/max, default medium ("If you omit reasoning.effort, GPT-5.6
 *   defaults to medium"); temperature must be 1 at every effort (reported in vane#1173).
 * - gpt-6: low/medium/high/xhigh (+max on Responses only), no none/minimal; OpenAI publishes no default
 *   (langchain#40330, litellm-docs#1173); we assume medium, labelled as an assumption where it is used.
 * Flex processing (`service_tier: "flex"`, Batch API rates): o3, o4-mini and the gpt-5 family through gpt-5.6 (the
 * pricing page's flex table and the flex guide's gpt-5.5 example); no flex for gpt-4.1 / gpt-4o / older. gpt-6: not
 * known (undefined: neither priced as flex nor warned about).
 */
const O_SERIES: ReasoningFamily = {
  reasoningEfforts: ['low', 'medium', 'high'],
  defaultReasoningEffort: 'medium',
  samplingWithEffortNone: false,
  verbosity: false,
  flexProcessing: true,
};
const GPT_5: ReasoningFamily = {
  reasoningEfforts: ['minimal', 'low', 'medium', 'high'],
  defaultReasoningEffort: 'medium',
  samplingWithEffortNone: false,
  verbosity: true,
  flexProcessing: true,
};
const GPT_5_1: ReasoningFamily = {
  reasoningEfforts: ['none', 'low', 'medium', 'high'],
  defaultReasoningEffort: 'none',
  samplingWithEffortNone: true,
  verbosity: true,
  flexProcessing: true,
};
const GPT_5_2: ReasoningFamily = {
  reasoningEfforts: ['none', 'low', 'medium', 'high', 'xhigh'],
  defaultReasoningEffort: 'none',
  samplingWithEffortNone: true,
  verbosity: true,
  flexProcessing: true,
};
const GPT_5_6: ReasoningFamily = {
  reasoningEfforts: ['none', 'low', 'medium', 'high', 'xhigh', 'max'],
  defaultReasoningEffort: 'medium',
  samplingWithEffortNone: false,
  verbosity: true,
  flexProcessing: true,
};
const GPT_6: ReasoningFamily = {
  reasoningEfforts: ['low', 'medium', 'high', 'xhigh'],
  samplingWithEffortNone: false,
  verbosity: true,
};

/**
 * The current OpenAI lineup with limits from OpenAI's model pages (developers.openai.com/api/docs/models/<id>)
 * as of CATALOG_AS_OF. Prices are not here: they come from the dated price data (see pricing/).
 */
export const MODEL_CATALOG: readonly CatalogModel[] = [
  reasoning('gpt-6-astra', 1050 * K, 128 * K, 5, GPT_6),
  reasoning('gpt-6-sol', 1050 * K, 128 * K, 4, GPT_6),
  reasoning('gpt-6-luna', 1050 * K, 128 * K, 2, GPT_6),
  reasoning('gpt-5.6-sol', 1050 * K, 128 * K, 5, GPT_5_6),
  reasoning('gpt-5.6-terra', 1050 * K, 128 * K, 4, GPT_5_6),
  reasoning('gpt-5.6-luna', 1050 * K, 128 * K, 2, GPT_5_6),
  reasoning('gpt-5.5', 1050 * K, 128 * K, 5, GPT_5_2),
  reasoning('gpt-5.4', 1050 * K, 128 * K, 4, GPT_5_2),
  reasoning('gpt-5.4-mini', 400 * K, 128 * K, 2, GPT_5_2),
  reasoning('gpt-5.4-nano', 400 * K, 128 * K, 1, GPT_5_2),
  reasoning('gpt-5.2', 400 * K, 128 * K, 4, GPT_5_2),
  reasoning('gpt-5.1', 400 * K, 128 * K, 4, GPT_5_1),
  reasoning('gpt-5', 400 * K, 128 * K, 4, GPT_5),
  reasoning('gpt-5-mini', 400 * K, 128 * K, 2, GPT_5),
  reasoning('gpt-5-nano', 400 * K, 128 * K, 1, GPT_5),
  chat('gpt-4.1', 1_047_576, 32_768, 3),
  chat('gpt-4.1-mini', 1_047_576, 32_768, 2),
  chat('gpt-4.1-nano', 1_047_576, 32_768, 1),
  chat('gpt-4o', 128 * K, 16_384, 3),
  chat('gpt-4o-mini', 128 * K, 16_384, 2),
  reasoning('o3', 200 * K, 100 * K, 4, O_SERIES),
  reasoning('o3-pro', 200 * K, 100 * K, 5, O_SERIES, {
    legacy: true,
    endpoints: RESPONSES_ONLY,
    flexProcessing: undefined,
  }),
  reasoning('o4-mini', 200 * K, 100 * K, 4, O_SERIES),
  reasoning('o3-mini', 200 * K, 100 * K, 4, O_SERIES, { legacy: true, flexProcessing: undefined }),
  reasoning('o1', 200 * K, 100 * K, 4, O_SERIES, { legacy: true, flexProcessing: undefined }),
  chat('gpt-4.5-preview', 128 * K, 16_384, 3, { legacy: true }),
  chat('gpt-4-turbo', 128 * K, 4_096, 3, { legacy: true, structuredOutputs: false }),
  chat('gpt-4', 8_192, 8_192, 3, { legacy: true, structuredOutputs: false }),
  chat('gpt-3.5-turbo', 16_385, 4_096, 1, { legacy: true, structuredOutputs: false }),
  embedding('text-embedding-3-small'),
  embedding('text-embedding-3-large'),
  { ...embedding('text-embedding-ada-002'), legacy: true },
];
