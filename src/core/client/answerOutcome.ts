import type { ChatCompletion } from 'openai/resources/chat/completions';

/**
 * Whether an answer is a usable one. `finish_reason` `length` (the output cap was reached, by the answer or by
 * hidden reasoning tokens) or `content_filter` (the answer was withheld), or an empty message without tool calls,
 * is not a success: such an answer is recorded as truncated, never cached, never counted as a saving.
 */
export type AnswerOutcome =
  | { readonly kind: 'complete' }
  | {
      readonly kind: 'truncated';
      /** The API's `finish_reason` of the first incomplete choice (`stop` for an empty message). */
      readonly finishReason: string;
      /** No text at all (e.g. every output token went to reasoning). */
      readonly empty: boolean;
    };

/** Judges every choice of a chat completion; the first incomplete one decides. */
export function answerOutcome(completion: Pick<ChatCompletion, 'choices'>): AnswerOutcome {
  for (const choice of completion.choices) {
    const message = choice.message;
    const hasToolCalls = (message?.tool_calls?.length ?? 0) > 0;
    const empty = !hasToolCalls && !message?.content && !message?.refusal;
    const reason = choice.finish_reason as string | null | undefined;
    if (reason === 'length' || reason === 'content_filter') return { kind: 'truncated', finishReason: reason, empty };
    if (empty) return { kind: 'truncated', finishReason: reason ?? 'stop', empty };
  }
  return { kind: 'complete' };
}

/** Words for a truncated answer, for result headers, summaries and run output. */
export function truncationText(finishReason: string, empty: boolean): string {
  const what = empty ? 'empty answer' : 'answer cut off';
  if (finishReason === 'length') {
    return `${what}: the output cap was reached${empty ? ' (all of it spent on hidden reasoning or nothing was written)' : ''} — finish_reason length; raise max_completion_tokens or lower reasoning_effort`;
  }
  if (finishReason === 'content_filter')
    return `${what}: withheld by the content filter — finish_reason content_filter`;
  return `${what} — finish_reason ${finishReason}`;
}
