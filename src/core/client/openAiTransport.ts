import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { ChatStreamAccumulator } from './chatStreamAccumulator';
import { PromptMeterError } from './errors';
import { createOpenAiSdk, type SdkConnection } from './openAiSdk';

/** How to reach the API. The key is held by the SDK instance only, never copied elsewhere. */
export type TransportOptions = SdkConnection;

/** One answer and the headers it came with (for the limiter). */
export interface TransportAnswer<T> {
  value: T;
  headers: Headers;
}

/** A streamed text delta, as the transport sees it. */
export interface TransportDelta {
  choiceIndex: number;
  content: string;
}

function malformed(what: string): PromptMeterError {
  return new PromptMeterError({ reason: 'malformedResponse', message: `The server sent a broken answer: ${what}.` });
}

/**
 * The one place that talks to the OpenAI SDK: a single HTTP exchange per call, nothing more. The SDK's own retries
 * are off (`maxRetries: 0`, the retry policy owns retries) and its logging is off (it would print answer text).
 */
export class OpenAiTransport {
  private readonly sdk: OpenAI;

  constructor(options: TransportOptions) {
    this.sdk = createOpenAiSdk(options);
  }

  /**
   * Sends one chat completion. Streams when `request.stream` is true (always asking for the final usage chunk)
   * and assembles the chunks into a `ChatCompletion`; `onDelta` sees each text delta as it arrives.
   * `signal` covers the whole exchange including the body; `timeoutMs` is the SDK's header timeout.
   */
  async chat(
    request: ChatCompletionCreateParams,
    signal: AbortSignal,
    timeoutMs: number,
    onDelta?: (delta: TransportDelta) => void,
  ): Promise<TransportAnswer<ChatCompletion>> {
    const requestOptions = { signal, timeout: timeoutMs, maxRetries: 0 };
    if (request.stream !== true) {
      const { data, response } = await this.sdk.chat.completions
        .create({ ...request, stream: false }, requestOptions)
        .withResponse();
      if (!data || !Array.isArray(data.choices)) throw malformed('no choices in the completion');
      return { value: data, headers: response.headers };
    }
    const { data: stream, response } = await this.sdk.chat.completions
      .create({ ...request, stream: true, stream_options: { ...request.stream_options, include_usage: true } }, requestOptions)
      .withResponse();
    const accumulator = new ChatStreamAccumulator();
    for await (const chunk of stream) {
      for (const delta of accumulator.add(chunk)) onDelta?.(delta);
    }
    return { value: accumulator.result(), headers: response.headers };
  }

  /**
   * Sends one embeddings request. Asks for `float` unless the caller chose a format, since proxies and local
   * servers do not all support the SDK's default base64.
   */
  async embeddings(
    request: EmbeddingCreateParams,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<TransportAnswer<CreateEmbeddingResponse>> {
    const { data, response } = await this.sdk.embeddings
      .create({ ...request, encoding_format: request.encoding_format ?? 'float' }, { signal, timeout: timeoutMs, maxRetries: 0 })
      .withResponse();
    if (!data || !Array.isArray(data.data)) throw malformed('no data in the embeddings answer');
    return { value: data, headers: response.headers };
  }
}
