import { createHash } from 'node:crypto';

/**
 * Chat parameters that change the answer. Transport and bookkeeping fields (`stream`, `stream_options`, `user`,
 * `metadata`, `store`, `service_tier`, `prompt_cache_key`, …) are left out, so a streamed and a plain request for
 * the same thing are the same job.
 */
export const ANSWER_PARAMETERS = [
  'max_tokens',
  'max_completion_tokens',
  'n',
  'temperature',
  'top_p',
  'seed',
  'stop',
  'response_format',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning_effort',
  'verbosity',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'prediction',
  'modalities',
  'audio',
] as const;

/** Values that mean the same as leaving the parameter out, so `n: 1` and no `n` are one job. */
const NEUTRAL_VALUES: Readonly<Record<string, unknown>> = {
  n: 1,
  temperature: 1,
  top_p: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
};

/**
 * The key under which `stats().answeredByKey` counts a chat request: a SHA-256 prefix (24 hex digits) of the
 * model, the messages and the answer-changing parameters (left out when neutral, e.g. `n: 1`), serialised with
 * sorted object keys. Tests call it on
 * the bodies they sent to check that every job was answered exactly once.
 */
export function canonicalRequestKey(body: Readonly<Record<string, unknown>>): string {
  const canonical: Record<string, unknown> = { model: body['model'], messages: body['messages'] };
  for (const parameter of ANSWER_PARAMETERS) {
    const value = body[parameter];
    if (value !== undefined && value !== null && value !== NEUTRAL_VALUES[parameter]) canonical[parameter] = value;
  }
  return createHash('sha256').update(stableStringify(canonical)).digest('hex').slice(0, 24);
}

/** JSON with object keys sorted at every level, so key order never changes the result. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
