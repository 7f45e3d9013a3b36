import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';

/** A request the client sends: chat or embeddings. */
export type ClientRequest = ChatCompletionCreateParams | EmbeddingCreateParams;

/**
 * Estimates a request's prompt tokens for the tokens-per-minute weight. Injected (the tokenizer lives elsewhere);
 * the fallback is {@link estimatePromptTokensByCharacters}.
 */
export type EstimatePromptTokens = (request: ClientRequest) => number;

function characters(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return 1;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + characters(item), 0);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce<number>((sum, item) => sum + characters(item), 0);
  }
  return 0;
}

/**
 * The fallback estimate: characters / 4 of every string in the messages (and tools) or the embedding input,
 * rounded up, at least 1, plus OpenAI's chat framing (about 3 tokens per message and 3 to prime the reply),
 * which matters for short prompts. Token-array inputs count one token per number.
 */
export function estimatePromptTokensByCharacters(request: ClientRequest): number {
  if ('messages' in request) {
    const tools = 'tools' in request ? request.tools : undefined;
    const framing = 3 * request.messages.length + 3;
    return Math.max(1, Math.ceil((characters(request.messages) + characters(tools)) / 4) + framing);
  }
  const input = request.input;
  if (Array.isArray(input) && input.every((item) => typeof item === 'number')) return Math.max(1, input.length);
  if (Array.isArray(input)) {
    return Math.max(
      1,
      input.reduce<number>(
        (sum, item) => sum + (typeof item === 'string' ? Math.ceil(item.length / 4) : item.length),
        0,
      ),
    );
  }
  return Math.max(1, Math.ceil(input.length / 4));
}
