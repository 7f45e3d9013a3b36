import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import { ChatStreamAccumulator } from './chatStreamAccumulator';
import { notAnApiError, PromptMeterError } from './errors';
import { fromResponsesAnswer } from './responsesConversion';
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
  private readonly baseUrl: string;

  constructor(options: TransportOptions) {
    this.sdk = createOpenAiSdk(options);
    this.baseUrl = options.baseUrl;
  }

  /**
   * An API answers JSON (or an event stream when asked to stream); a web page or a login form answering 200 means the
   * base URL is not an API root: the run stops after this first answer instead of retrying every job.
   */
  private checkContentType(response: Response, streaming: boolean): void {
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    const expected = streaming ? /event-stream|json/ : /json/;
    if (!expected.test(type))
      throw notAnApiError(
        this.baseUrl,
        `it answered ${type.split(';')[0] || 'without a content type'} instead of ${streaming ? 'an event stream' : 'JSON'}`,
      );
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
      this.checkContentType(response, false);
      if (!data || !Array.isArray(data.choices)) throw malformed('no choices in the completion');
      return { value: data, headers: response.headers };
    }
    const { data: stream, response } = await this.sdk.chat.completions
      .create(
        { ...request, stream: true, stream_options: { ...request.stream_options, include_usage: true } },
        requestOptions,
      )
      .withResponse();
    this.checkContentType(response, true);
    const accumulator = new ChatStreamAccumulator();
    for await (const chunk of stream) {
      for (const delta of accumulator.add(chunk)) onDelta?.(delta);
    }
    return { value: accumulator.result(), headers: response.headers };
  }

  /**
   * Sends one Responses API request (`body` already in the Responses shape, see `toResponsesRequest`) and returns
   * its answer as the equivalent `ChatCompletion` (`fromResponsesAnswer`). Streams when `body.stream` is true:
   * `response.output_text.delta` events go to `onDelta`; the answer is the `response.completed` (or
   * `response.incomplete`) event's response. A stream that ends without one is a broken answer (retried).
   */
  async responses(
    body: Record<string, unknown>,
    signal: AbortSignal,
    timeoutMs: number,
    onDelta?: (delta: TransportDelta) => void,
  ): Promise<TransportAnswer<ChatCompletion>> {
    const requestOptions = { signal, timeout: timeoutMs, maxRetries: 0 };
    type Params = Parameters<OpenAI['responses']['create']>[0];
    if (body['stream'] !== true) {
      const { data, response } = await this.sdk.responses
        .create({ ...body, stream: false } as Params, requestOptions)
        .withResponse();
      this.checkContentType(response, false);
      const answer = data as unknown as Record<string, unknown> | undefined;
      if (!answer || !Array.isArray(answer['output'])) throw malformed('no output in the response');
      return { value: fromResponsesAnswer(answer), headers: response.headers };
    }
    const { data: stream, response } = await this.sdk.responses
      .create({ ...body, stream: true } as Params, requestOptions)
      .withResponse();
    this.checkContentType(response, true);
    let final: Record<string, unknown> | undefined;
    for await (const event of stream as AsyncIterable<{
      type: string;
      delta?: unknown;
      response?: unknown;
      message?: unknown;
    }>) {
      if (event.type === 'response.output_text.delta' && typeof event.delta === 'string')
        onDelta?.({ choiceIndex: 0, content: event.delta });
      else if (event.type === 'response.completed' || event.type === 'response.incomplete')
        final = event.response as Record<string, unknown>;
      else if (event.type === 'response.failed' || event.type === 'error') {
        const failed = event.response as { error?: { message?: string } } | undefined;
        throw new PromptMeterError({
          reason: 'server',
          message: `The Responses stream failed: ${failed?.error?.message ?? String(event.message ?? 'no reason given')}.`,
        });
      }
    }
    if (!final) throw new SyntaxError('The Responses stream ended before the answer was complete.');
    return { value: fromResponsesAnswer(final), headers: response.headers };
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
      .create(
        { ...request, encoding_format: request.encoding_format ?? 'float' },
        { signal, timeout: timeoutMs, maxRetries: 0 },
      )
      .withResponse();
    this.checkContentType(response, false);
    if (!data || !Array.isArray(data.data)) throw malformed('no data in the embeddings answer');
    return { value: data, headers: response.headers };
  }
}
