import type { TextSpan } from './promptTypes';

/**
 * Chat Completions parameters a prompt file may declare besides `model`, `messages`, the output cap, `n` and
 * `tools` (which have their own fields): every one that changes the answer or the bill. They are sent exactly
 * as written and are part of the response-cache key.
 * Source: OpenAI API reference, "Create chat completion" (platform.openai.com/docs/api-reference/chat/create).
 */
export const CHAT_PARAMETER_NAMES = [
  'temperature',
  'top_p',
  'seed',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'response_format',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'verbosity',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'user',
  'metadata',
  'store',
  'modalities',
  'prediction',
  'web_search_options',
] as const;
export type ChatParameterName = (typeof CHAT_PARAMETER_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(CHAT_PARAMETER_NAMES);

/**
 * camelCase spellings used by Prompty v2 `model.options`, Dotprompt `config` and GitHub Models
 * `modelParameters`, mapped to the Chat Completions name they stand for.
 */
const CAMEL_CASE_NAMES: Readonly<Record<string, ChatParameterName>> = {
  topP: 'top_p',
  stopSequences: 'stop',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
  logitBias: 'logit_bias',
  topLogprobs: 'top_logprobs',
  responseFormat: 'response_format',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'parallel_tool_calls',
  reasoningEffort: 'reasoning_effort',
  serviceTier: 'service_tier',
  promptCacheKey: 'prompt_cache_key',
  promptCacheRetention: 'prompt_cache_retention',
  webSearchOptions: 'web_search_options',
};

/** One API parameter a prompt declares, under its Chat Completions name, with where the file writes it. */
export interface DeclaredParameter {
  readonly name: ChatParameterName;
  readonly value: unknown;
  /** Path of the key in the front matter (or request body), as written (e.g. `['config', 'topP']`). */
  readonly path: readonly string[];
  /** The key's line, for diagnostics and quick fixes; undefined when the file does not show it. */
  readonly span?: TextSpan;
}

/** The Chat Completions name of a declared key, or undefined when it is not an API parameter. */
export function chatParameterName(key: string): ChatParameterName | undefined {
  if (NAMES.has(key)) return key as ChatParameterName;
  return CAMEL_CASE_NAMES[key];
}

/**
 * Reads the API parameters in one settings mapping (`record` is at `prefix` in the front matter). Keys that are
 * not API parameters are left to the format (Prompt Meter's own keys are never sent). The first spelling of a
 * name wins when a file writes two (`top_p` and `topP`).
 */
export function readDeclaredParameters(
  record: Readonly<Record<string, unknown>>,
  prefix: readonly string[],
  spanOf: (path: readonly string[]) => TextSpan | undefined,
): DeclaredParameter[] {
  const parameters: DeclaredParameter[] = [];
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(record)) {
    const name = chatParameterName(key);
    if (!name || seen.has(name) || value === undefined || value === null) continue;
    seen.add(name);
    const path = [...prefix, key];
    parameters.push({ name, value, path, span: spanOf(path) });
  }
  return parameters;
}

/** The declared value of `name`, if any. */
export function declaredValue(parameters: readonly DeclaredParameter[], name: ChatParameterName): unknown {
  return parameters.find((parameter) => parameter.name === name)?.value;
}

/** The parameters as a request-body fragment (Chat Completions names). */
export function parameterBody(parameters: readonly DeclaredParameter[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const parameter of parameters) body[parameter.name] = parameter.value;
  return body;
}
