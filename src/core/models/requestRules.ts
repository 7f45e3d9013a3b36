import type { ChatParameterName, DeclaredParameter } from '../prompts/declaredParameters';
import type { PromptChange, PromptDefinition, TextSpan } from '../prompts/promptTypes';
import { ASSUMED_DEFAULT_EFFORT, isReasoningEffort, lowestEffort, type ReasoningEffort } from './reasoningEffort';
import type { ResolvedModel } from './resolveModel';

/** A request setting the model would reject: said before anything is sent, with the change that fixes it. */
export interface RequestProblem {
  /** The parameter as the API names it (`temperature`, `max_tokens`, `reasoning_effort`, …). */
  readonly parameter: string;
  readonly message: string;
  /** The key's line in the file, when it is written there. */
  readonly span?: TextSpan;
  readonly fix?: { readonly title: string; readonly changes: readonly PromptChange[] };
}

/**
 * Sampling parameters reasoning models reject (OpenAI reasoning guide, "Limitations"; API_FACTS.md): any value but
 * the default for temperature/top_p, and the others at all. Families with `samplingWithEffortNone` accept the
 * first three with effort `none` (GPT-5.1/5.2 guide: "temperature, top_p and logprobs are only supported when
 * reasoning effort is none").
 */
const SAMPLING: readonly ChatParameterName[] = [
  'temperature',
  'top_p',
  'logprobs',
  'top_logprobs',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
];
const SAMPLING_WITH_NONE: ReadonlySet<ChatParameterName> = new Set([
  'temperature',
  'top_p',
  'logprobs',
  'top_logprobs',
]);
/** temperature and top_p at their default (1) are accepted everywhere ("Only the default (1) value is supported"). */
const DEFAULT_ONE: ReadonlySet<ChatParameterName> = new Set(['temperature', 'top_p']);

/** The effort a request runs at on this model: declared, else the model's default (assumed `medium` if unpublished). */
export function effectiveEffort(
  prompt: Pick<PromptDefinition, 'parameters'>,
  model: ResolvedModel,
): ReasoningEffort | undefined {
  if (!model.reasoning) return undefined;
  const declared = prompt.parameters.find((parameter) => parameter.name === 'reasoning_effort')?.value;
  if (isReasoningEffort(declared) && model.reasoningEfforts.includes(declared)) return declared;
  return (
    model.defaultReasoningEffort ??
    (model.reasoningEfforts.includes(ASSUMED_DEFAULT_EFFORT)
      ? ASSUMED_DEFAULT_EFFORT
      : lowestEffort(model.reasoningEfforts))
  );
}

/** Whether `parameter` (with its value) is accepted on `model` at `effort`. */
export function samplingAccepted(
  parameter: DeclaredParameter,
  model: ResolvedModel,
  effort: ReasoningEffort | undefined,
): boolean {
  if (!model.reasoning || !SAMPLING.includes(parameter.name)) return true;
  if (DEFAULT_ONE.has(parameter.name) && parameter.value === 1) return true;
  return effort === 'none' && model.samplingWithEffortNone && SAMPLING_WITH_NONE.has(parameter.name);
}

/** `service_tier` values in the API reference (Create chat completion). */
const SERVICE_TIERS: ReadonlySet<string> = new Set(['auto', 'default', 'flex', 'scale', 'priority']);

/**
 * Everything in the prompt's request that `model` rejects, as OpenAI answers it with a 400: sampling parameters on a
 * reasoning model, a reasoning effort it does not accept (or any on a model that does not reason), `verbosity` where
 * unsupported, `json_schema` without Structured Outputs, an output cap above the model's maximum, `max_tokens` in a
 * Batch body for a reasoning model, a `service_tier` it does not serve. Models whose rules are unknown are not checked.
 */
export function requestProblems(prompt: PromptDefinition, model: ResolvedModel): RequestProblem[] {
  if (prompt.kind !== 'chat' || !model.rulesKnown) return [];
  const problems: RequestProblem[] = [];
  const effort = effectiveEffort(prompt, model);
  const lowest = lowestEffort(model.reasoningEfforts);
  for (const parameter of prompt.parameters) {
    const remove = (title: string) => ({
      title,
      changes: [{ kind: 'remove-parameter', name: parameter.name }] as const,
    });
    if (!samplingAccepted(parameter, model, effort)) {
      const withNone =
        model.samplingWithEffortNone && SAMPLING_WITH_NONE.has(parameter.name)
          ? ` (it is accepted with reasoning_effort: none)`
          : '';
      problems.push({
        parameter: parameter.name,
        span: parameter.span,
        message: DEFAULT_ONE.has(parameter.name)
          ? `${model.name} is a reasoning model: '${parameter.name}' does not support ${JSON.stringify(parameter.value)}; only the default (1) is accepted${withNone}. The API answers 400 unsupported_value.`
          : `${model.name} is a reasoning model and does not accept '${parameter.name}'${withNone}. The API answers 400.`,
        fix: remove(`Remove ${parameter.name}`),
      });
    } else if (parameter.name === 'reasoning_effort') {
      if (model.reasoningEfforts.length === 0) {
        problems.push({
          parameter: 'reasoning_effort',
          span: parameter.span,
          message: `${model.name} does not reason and rejects 'reasoning_effort'. Remove it.`,
          fix: remove('Remove reasoning_effort'),
        });
      } else if (!isReasoningEffort(parameter.value) || !model.reasoningEfforts.includes(parameter.value)) {
        problems.push({
          parameter: 'reasoning_effort',
          span: parameter.span,
          message: `${model.name} does not accept reasoning_effort ${JSON.stringify(parameter.value)}; it accepts ${model.reasoningEfforts.join(', ')}.`,
          fix: lowest
            ? {
                title: `Set reasoning_effort: ${lowest}`,
                changes: [{ kind: 'set-parameter', name: 'reasoning_effort', value: lowest }],
              }
            : undefined,
        });
      }
    } else if (parameter.name === 'verbosity' && !model.verbosity) {
      problems.push({
        parameter: 'verbosity',
        span: parameter.span,
        message: `${model.name} does not accept 'verbosity' (gpt-5 family and later only).`,
        fix: remove('Remove verbosity'),
      });
    } else if (parameter.name === 'service_tier' && !SERVICE_TIERS.has(String(parameter.value))) {
      problems.push({
        parameter: 'service_tier',
        span: parameter.span,
        message: `service_tier ${JSON.stringify(parameter.value)} is not a value the API takes (auto, default, flex, scale, priority). The API answers 400.`,
        fix: remove('Remove service_tier'),
      });
    } else if (parameter.name === 'service_tier' && parameter.value === 'flex' && model.flexProcessing === false) {
      problems.push({
        parameter: 'service_tier',
        span: parameter.span,
        message: `${model.name} has no Flex processing (service_tier flex: o3, o4-mini and the gpt-5 family). The API answers 400 and does not fall back to the standard tier.`,
        fix: remove('Remove service_tier'),
      });
    } else if (parameter.name === 'response_format' && isJsonSchema(parameter.value) && !model.structuredOutputs) {
      problems.push({
        parameter: 'response_format',
        span: parameter.span,
        message: `${model.name} does not support Structured Outputs (response_format json_schema). Use a model that does (gpt-4o-mini and later), or response_format {type: json_object}.`,
      });
    }
  }
  const cap = prompt.maxTokens;
  if (
    cap !== undefined &&
    model.maxOutputTokens !== undefined &&
    model.maxOutputTokens > 0 &&
    cap > model.maxOutputTokens
  ) {
    problems.push({
      parameter: prompt.maxTokensPath?.at(-1) ?? 'max_tokens',
      message: `The output cap ${cap} is above ${model.name}'s maximum output of ${model.maxOutputTokens} tokens; the API answers 400.`,
      fix: {
        title: `Set the cap to ${model.maxOutputTokens}`,
        changes: [{ kind: 'set-max-tokens', value: model.maxOutputTokens }],
      },
    });
  }
  if (prompt.rawBody && model.reasoning && prompt.rawBody.max_tokens !== undefined) {
    problems.push({
      parameter: 'max_tokens',
      message: `${model.name} rejects 'max_tokens' ("Use 'max_completion_tokens' instead"); this Batch line is sent as written.`,
      fix:
        typeof prompt.rawBody.max_tokens === 'number'
          ? {
              title: 'Use max_completion_tokens',
              changes: [{ kind: 'set-max-tokens', value: prompt.rawBody.max_tokens }],
            }
          : undefined,
    });
  }
  return problems;
}

function isJsonSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'json_schema';
}
