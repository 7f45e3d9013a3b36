import {
  type ApiFailure,
  invalidParameter,
  maxTokensTooLarge,
  structuredOutputsUnsupported,
  unsupportedParameter,
  unsupportedValue,
} from './errors';
import { type ModelRule, type ReasoningEffort, ruleFor } from './modelRules';

/** Which endpoint's parameter names a body uses. */
export type ApiShape = 'chat' | 'responses';

/** What the checks found out besides "accepted". */
export interface AcceptedParameters {
  /** The output cap (`max_completion_tokens` ?? `max_tokens`, or `max_output_tokens`); undefined when none is set. */
  readonly maxOutputTokens: number | undefined;
  /** The effort in force (the request's or the model's default); undefined for non-reasoning models. */
  readonly effort: ReasoningEffort | undefined;
  /** The tier that serves it, as the answer's `service_tier` says: flex or priority when asked for, else default. */
  readonly serviceTier: ServedTier;
}

export type ServedTier = 'default' | 'flex' | 'priority';

/** `service_tier` values the API reference lists (Create chat completion / Create a model response). */
const SERVICE_TIERS = new Set(['auto', 'default', 'flex', 'scale', 'priority']);

function checkServiceTier(rule: ModelRule, value: unknown): ServedTier | ApiFailure {
  if (value === undefined || value === null) return 'default';
  if (typeof value !== 'string' || !SERVICE_TIERS.has(value)) {
    return invalidParameter(
      'service_tier',
      `Invalid value for 'service_tier': expected one of 'auto', 'default', 'flex', 'scale', or 'priority', got ${JSON.stringify(value)}.`,
    );
  }
  // Test server's wording (OpenAI's exact text for this 400 is not published).
  if (value === 'flex' && !rule.flex)
    return invalidParameter(
      'service_tier',
      "Flex processing is not available for this model. Remove 'service_tier' or use a model that supports flex.",
    );
  return value === 'flex' || value === 'priority' ? value : 'default';
}

interface ShapeNames {
  readonly caps: readonly string[];
  readonly effortParam: string;
  readonly effort: (body: Record<string, unknown>) => unknown;
  readonly formatParam: string;
  readonly formatType: (body: Record<string, unknown>) => unknown;
  /** Parameters a reasoning model rejects whatever their value (penalties, logit_bias). */
  readonly alwaysRejected: readonly string[];
  /** Log-probability parameters: rejected on reasoning models unless effort `none` allows sampling. */
  readonly logprobs: readonly string[];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

const NAMES: Readonly<Record<ApiShape, ShapeNames>> = {
  chat: {
    caps: ['max_completion_tokens', 'max_tokens'],
    effortParam: 'reasoning_effort',
    effort: (body) => body['reasoning_effort'],
    formatParam: 'response_format',
    formatType: (body) => field(body['response_format'], 'type'),
    alwaysRejected: ['presence_penalty', 'frequency_penalty', 'logit_bias'],
    logprobs: ['logprobs', 'top_logprobs'],
  },
  // Responses API names: max_output_tokens, reasoning.effort, text.format (API reference, "Create a model response").
  responses: {
    caps: ['max_output_tokens'],
    effortParam: 'reasoning.effort',
    effort: (body) => field(body['reasoning'], 'effort'),
    formatParam: 'text.format',
    formatType: (body) => field(field(body['text'], 'format'), 'type'),
    alwaysRejected: [],
    logprobs: ['top_logprobs'],
  },
};

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function quoteList(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1) ?? ''}`;
}

function readCap(
  body: Record<string, unknown>,
  names: readonly string[],
): { param: string; value: number } | undefined | ApiFailure {
  for (const param of names) {
    const value = body[param];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return invalidParameter(param, `Invalid '${param}': expected a positive integer.`);
    }
    return { param, value };
  }
  return undefined;
}

function checkEffort(
  rule: ModelRule,
  model: string,
  names: ShapeNames,
  requested: unknown,
): ReasoningEffort | undefined | ApiFailure {
  if (!rule.reasoning)
    return requested === undefined || requested === null ? undefined : unsupportedParameter(names.effortParam);
  if (requested === undefined || requested === null) return rule.defaultEffort;
  if (typeof requested !== 'string' || !rule.efforts.includes(requested as ReasoningEffort)) {
    return unsupportedValue(
      names.effortParam,
      `'${String(requested)}' is not supported with the '${model}' model. Supported values are: ${quoteList(rule.efforts)}.`,
    );
  }
  return requested as ReasoningEffort;
}

/**
 * Holds a request to `model`'s rules as OpenAI does, in this order: `max_tokens` on a reasoning model, the reasoning
 * effort, sampling parameters (temperature/top_p other than 1, penalties, logprobs, logit_bias; temperature, top_p
 * and logprobs pass on families that accept them with effort `none` when that is the effort in force), the output
 * cap against the model's max output, and `json_schema` on a model without Structured Outputs.
 */
export function checkModelParameters(
  body: Record<string, unknown>,
  model: string,
  shape: ApiShape,
): AcceptedParameters | ApiFailure {
  const rule = ruleFor(model);
  const names = NAMES[shape];
  if (rule.reasoning && shape === 'chat' && present(body['max_tokens'])) {
    return unsupportedParameter('max_tokens', " Use 'max_completion_tokens' instead.");
  }
  const effort = checkEffort(rule, model, names, names.effort(body));
  if (typeof effort === 'object') return effort;
  if (rule.reasoning) {
    const samplingAllowed = rule.samplingWhenEffortNone && effort === 'none';
    for (const param of ['temperature', 'top_p']) {
      const value = body[param];
      if (samplingAllowed || value === undefined || value === null || value === 1) continue;
      return unsupportedValue(
        param,
        `'${param}' does not support ${String(value)} with this model. Only the default (1) value is supported.`,
      );
    }
    for (const param of [...names.alwaysRejected, ...(samplingAllowed ? [] : names.logprobs)]) {
      if (present(body[param])) return unsupportedParameter(param);
    }
  }
  const cap = readCap(body, names.caps);
  if (cap && 'status' in cap) return cap;
  if (cap && cap.value > rule.maxOutputTokens) return maxTokensTooLarge(cap.param, cap.value, rule.maxOutputTokens);
  if (!rule.structuredOutputs && names.formatType(body) === 'json_schema')
    return structuredOutputsUnsupported(names.formatParam);
  const serviceTier = checkServiceTier(rule, body['service_tier']);
  if (typeof serviceTier === 'object') return serviceTier;
  return { maxOutputTokens: cap?.value, effort, serviceTier };
}
