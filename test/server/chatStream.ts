import type { ChatAnswer } from './chatAnswer';
import type { Exchange } from './exchange';
import { truncateJson } from './jsonBody';

/** Content tokens per streamed delta. */
const TOKENS_PER_CHUNK = 4;

/** What a stream needs besides the answer. */
export interface StreamPlan {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly serviceTier: string;
  readonly includeUsage: boolean;
  readonly chunkDelayMilliseconds: number;
  /** Break the stream with a truncated JSON chunk after the first one (injected `malformedJson`). */
  readonly malformed: boolean;
  readonly decode: (tokens: readonly number[]) => string;
}

/**
 * Streams `answer` as OpenAI does: a role chunk per choice, content deltas of a few tokens, a finish chunk per
 * choice, then (with `include_usage`) a chunk with `choices: []` and `usage`, then `data: [DONE]`. While
 * `include_usage` is set every other chunk carries `usage: null`. Resolves true when the whole stream was written.
 */
export async function streamAnswer(exchange: Exchange, answer: ChatAnswer, plan: StreamPlan): Promise<boolean> {
  const chunk = (choices: unknown[], usage?: unknown): string =>
    JSON.stringify({
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      service_tier: plan.serviceTier,
      system_fingerprint: 'fp_promptmeter_test',
      choices,
      ...(plan.includeUsage ? { usage: usage ?? null } : {}),
    });
  const delta = (index: number, content: Record<string, unknown>, finishReason: string | null = null): unknown => ({
    index,
    delta: content,
    logprobs: null,
    finish_reason: finishReason,
  });
  exchange.startEventStream();
  exchange.writeEvent(
    chunk(answer.choices.map((choice) => delta(choice.index, { role: 'assistant', content: '', refusal: null }))),
  );
  if (plan.malformed) {
    exchange.writeEvent(truncateJson(chunk([delta(0, { content: 'broken' })])));
    exchange.endStream();
    return false;
  }
  const longest = Math.max(0, ...answer.choices.map((choice) => choice.contentTokens.length));
  for (let start = 0; start < longest; start += TOKENS_PER_CHUNK) {
    if (!(await exchange.pause(plan.chunkDelayMilliseconds))) return false;
    for (const choice of answer.choices) {
      const piece = choice.contentTokens.slice(start, start + TOKENS_PER_CHUNK);
      if (piece.length > 0) exchange.writeEvent(chunk([delta(choice.index, { content: plan.decode(piece) })]));
    }
  }
  for (const choice of answer.choices) exchange.writeEvent(chunk([delta(choice.index, {}, choice.finishReason)]));
  if (plan.includeUsage) exchange.writeEvent(chunk([], answer.usage));
  exchange.writeEvent('[DONE]');
  exchange.endStream();
  return !exchange.signal.aborted;
}
