import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';

interface ChoiceState {
  content: string | null;
  refusal: string | null;
  finishReason: ChatCompletion.Choice['finish_reason'] | null;
  toolCalls: ChatCompletionMessageFunctionToolCall[];
  logprobs: ChatCompletion.Choice.Logprobs | null;
}

/**
 * Rebuilds the `ChatCompletion` a non-streaming call would have returned from the chunks of a streamed one, so a
 * streamed answer and a plain one are cached, priced and returned alike (content, refusal, tool calls and
 * log-probabilities are concatenated per choice; `usage` comes from the final chunk).
 */
export class ChatStreamAccumulator {
  private readonly choices = new Map<number, ChoiceState>();
  private first: ChatCompletionChunk | undefined;
  private usage: ChatCompletion['usage'];

  /** Adds one chunk; returns the text deltas it carried, by choice index, for `onDelta`. */
  add(chunk: ChatCompletionChunk): Array<{ choiceIndex: number; content: string }> {
    this.first ??= chunk;
    if (chunk.usage) this.usage = chunk.usage;
    const deltas: Array<{ choiceIndex: number; content: string }> = [];
    for (const choice of chunk.choices ?? []) {
      const state = this.stateFor(choice.index);
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string' && delta.content !== '') {
        state.content = (state.content ?? '') + delta.content;
        deltas.push({ choiceIndex: choice.index, content: delta.content });
      }
      if (typeof delta.refusal === 'string') state.refusal = (state.refusal ?? '') + delta.refusal;
      for (const call of delta.tool_calls ?? []) {
        const existing = (state.toolCalls[call.index] ??= {
          id: '',
          type: 'function',
          function: { name: '', arguments: '' },
        });
        if (call.id) existing.id = call.id;
        if (call.function?.name) existing.function.name += call.function.name;
        if (call.function?.arguments) existing.function.arguments += call.function.arguments;
      }
      if (choice.logprobs) {
        state.logprobs ??= { content: null, refusal: null };
        if (choice.logprobs.content)
          state.logprobs.content = [...(state.logprobs.content ?? []), ...choice.logprobs.content];
        if (choice.logprobs.refusal)
          state.logprobs.refusal = [...(state.logprobs.refusal ?? []), ...choice.logprobs.refusal];
      }
      if (choice.finish_reason) state.finishReason = choice.finish_reason;
    }
    return deltas;
  }

  /**
   * The assembled completion. Throws a `SyntaxError` (a broken answer, retried like malformed JSON) when the stream
   * carried no chunk, or ended before every choice had its `finish_reason`: a truncated answer must not be cached.
   */
  result(): ChatCompletion {
    const first = this.first;
    if (!first || this.choices.size === 0) throw new SyntaxError('The stream ended without any answer.');
    if ([...this.choices.values()].some((state) => state.finishReason === null)) {
      throw new SyntaxError('The stream ended before the answer was complete.');
    }
    const choices = [...this.choices.entries()]
      .sort(([left], [right]) => left - right)
      .map(([index, state]): ChatCompletion.Choice => ({
        index,
        finish_reason: state.finishReason ?? 'stop', // never null here: checked above
        logprobs: state.logprobs,
        message: {
          role: 'assistant',
          content: state.content,
          refusal: state.refusal,
          ...(state.toolCalls.length > 0 ? { tool_calls: state.toolCalls.filter(Boolean) } : {}),
        },
      }));
    return {
      id: first.id,
      object: 'chat.completion',
      created: first.created,
      model: first.model,
      choices,
      ...(first.system_fingerprint ? { system_fingerprint: first.system_fingerprint } : {}),
      ...(first.service_tier ? { service_tier: first.service_tier } : {}),
      ...(this.usage ? { usage: this.usage } : {}),
    };
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { content: null, refusal: null, finishReason: null, toolCalls: [], logprobs: null };
      this.choices.set(index, state);
    }
    return state;
  }
}
