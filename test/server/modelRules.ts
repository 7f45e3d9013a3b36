/**
 * The test server's own per-model rules. It stands for OpenAI, so it keeps its own table instead of importing the
 * extension's model catalog (a test that both sides read from one table could not notice when they disagree).
 *
 * Sources:
 * - Max output tokens and structured-outputs support: OpenAI's model pages (gpt-4o/gpt-4o-mini 16,384; gpt-4.1
 *   family 32,768; gpt-5 family and later 128,000; o3/o4-mini 100,000; gpt-4 8,192; gpt-3.5-turbo 4,096; gpt-4 and
 *   gpt-3.5-turbo have no Structured Outputs).
 * - Reasoning efforts: gpt-5 / -mini / -nano accept minimal|low|medium|high, default medium (reasoning guide);
 *   gpt-5.1 accepts none|low|medium|high, default none: the API's own 400 "Unsupported value: 'minimal' is not
 *   supported with the 'gpt-5.1' model. Supported values are: 'none', 'low', 'medium', and 'high'."
 *   (openai/openai-agents-python#2089, anomalyco/opencode#4451); gpt-5.2 and later add xhigh and keep none as the
 *   default (model pages; meerkat-core's capability table records the same 400 for 5.4/5.5); o-series accept
 *   low|medium|high, default medium.
 * - Sampling with effort none: on gpt-5.1 and later, temperature, top_p and logprobs are accepted when the
 *   effective effort is `none` (OpenAI's gpt-5.1 guide, as cited in vercel/ai#10932 and BerriAI/litellm#17011);
 *   penalties and logit_bias stay rejected on reasoning models.
 * - gpt-5.6 sol/terra/luna accept none|low|medium|high|xhigh|max and default to medium ("If you omit
 *   reasoning.effort, GPT-5.6 defaults to medium", reasoning guide as quoted in UKGovernmentBEIS/inspect_ai#5162);
 *   temperature must be 1 at every effort (itzcrazykns/vane#1173).
 * - gpt-6 (astra, sol, luna) rejects none and minimal: low|medium|high|xhigh on Chat Completions (max only on
 *   Responses), no published default (langchain-ai/langchain#40330, BerriAI/litellm-docs#1173); medium here.
 * - o3-pro is served only by `/v1/responses` (its model page).
 * - Flex processing (`service_tier: "flex"`): o3, o4-mini and the gpt-5 family (flex guide, "limited model
 *   availability", models on the pricing page's flex table); any other model answers 400 (Azure's flex guide: "An
 *   unsupported model returns an HTTP 400 invalid_request_error and doesn't fall back to Standard processing").
 */
export interface ModelRule {
  /** Spends hidden reasoning tokens and takes `max_completion_tokens` only. */
  readonly reasoning: boolean;
  /** Accepted reasoning efforts (empty for non-reasoning models). */
  readonly efforts: readonly ReasoningEffort[];
  /** Effort used when the request sets none. */
  readonly defaultEffort: ReasoningEffort | undefined;
  /** temperature / top_p / logprobs accepted when the effective effort is `none`. */
  readonly samplingWhenEffortNone: boolean;
  readonly maxOutputTokens: number;
  readonly structuredOutputs: boolean;
  /** False for models served only by `/v1/responses`. */
  readonly chatCompletions: boolean;
  /** Serves `service_tier: "flex"`. */
  readonly flex: boolean;
}

/** Every effort OpenAI documents, cheapest first. */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

const K = 1000;

function plain(maxOutputTokens: number, structuredOutputs = true): ModelRule {
  return {
    reasoning: false,
    efforts: [],
    defaultEffort: undefined,
    samplingWhenEffortNone: false,
    maxOutputTokens,
    structuredOutputs,
    chatCompletions: true,
    flex: false,
  };
}

function reasoning(
  efforts: readonly ReasoningEffort[],
  defaultEffort: ReasoningEffort,
  maxOutputTokens: number,
  extra: Partial<ModelRule> = {},
): ModelRule {
  return {
    reasoning: true,
    efforts,
    defaultEffort,
    samplingWhenEffortNone: efforts.includes('none'),
    maxOutputTokens,
    structuredOutputs: true,
    chatCompletions: true,
    flex: true,
    ...extra,
  };
}

const GPT5_EFFORTS: readonly ReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];
const GPT51_EFFORTS: readonly ReasoningEffort[] = ['none', 'low', 'medium', 'high'];
const RECENT_EFFORTS: readonly ReasoningEffort[] = ['none', 'low', 'medium', 'high', 'xhigh'];
const O_SERIES_EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];
const GPT56_EFFORTS: readonly ReasoningEffort[] = ['none', 'low', 'medium', 'high', 'xhigh', 'max'];
const GPT6_EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];

/** First matching pattern wins; more specific names come first. */
const RULES: ReadonlyArray<readonly [RegExp, ModelRule]> = [
  [/^gpt-5\.1(-|$)/, reasoning(GPT51_EFFORTS, 'none', 128 * K)],
  [/^gpt-5\.6(-|$)/, reasoning(GPT56_EFFORTS, 'medium', 128 * K, { samplingWhenEffortNone: false })],
  [/^gpt-5\.\d+(-|$)/, reasoning(RECENT_EFFORTS, 'none', 128 * K)],
  [/^gpt-6(-|$)/, reasoning(GPT6_EFFORTS, 'medium', 128 * K, { flex: false })],
  [/^gpt-5(-|$)/, reasoning(GPT5_EFFORTS, 'medium', 128 * K)],
  [/^o3-pro(-|$)/, reasoning(O_SERIES_EFFORTS, 'medium', 100 * K, { chatCompletions: false, flex: false })],
  [/^o\d/, reasoning(O_SERIES_EFFORTS, 'medium', 100 * K)],
  [/^gpt-4\.1/, plain(32_768)],
  [/^gpt-4o/, plain(16_384)],
  [/^gpt-4\.5/, plain(16_384)],
  [/^gpt-4-turbo/, plain(4_096, false)],
  [/^gpt-4(-|$)/, plain(8_192, false)],
  [/^gpt-3\.5/, plain(4_096, false)],
];

/** A model the table does not know (a custom name added to `models`): a plain chat model with a generous cap. */
const UNKNOWN_MODEL_RULE = plain(16_384);

/** The rules `model` is held to. */
export function ruleFor(model: string): ModelRule {
  return RULES.find(([pattern]) => pattern.test(model))?.[1] ?? UNKNOWN_MODEL_RULE;
}
