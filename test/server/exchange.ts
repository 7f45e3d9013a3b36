import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFailure } from './errors';

/** What an exchange needs from the server around it. */
export interface ExchangeHost {
  /** `x-ratelimit-*` headers for a model's scope (server-wide when undefined). */
  rateLimitHeaders(model: string | undefined): Record<string, string>;
  /** Records a sent status; undefined for control endpoints that are not counted. */
  readonly recordStatus: ((status: number, code: string | null) => void) | undefined;
  readonly organization: string;
  /** Aborts when the server closes. */
  readonly closing: AbortSignal;
  /** Latency and slow answers wait on the server's clock. */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
}

/**
 * One HTTP request and its response. Every response carries `x-request-id`, OpenAI's informational headers and
 * the rate-limit headers of `rateLimitModel`'s scope. `signal` aborts when the client leaves or the server closes.
 */
export class Exchange {
  /** Sent as `x-request-id`; batch lines reuse the format. */
  readonly requestId = `req_${randomUUID().replaceAll('-', '')}`;
  readonly signal: AbortSignal;
  /** Scope of the rate-limit headers; set once the request's model is known. */
  rateLimitModel: string | undefined;
  private readonly startedAt = Date.now();

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    readonly url: URL,
    readonly body: Buffer,
    readonly params: Readonly<Record<string, string>>,
    private readonly host: ExchangeHost,
  ) {
    const clientGone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    this.signal = AbortSignal.any([clientGone.signal, host.closing]);
  }

  /** Sends a JSON body. */
  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.sendRaw(status, 'application/json', JSON.stringify(body), headers);
  }

  /** Sends an OpenAI error body with its status. */
  sendFailure(failure: ApiFailure, headers: Record<string, string> = {}): void {
    this.sendRaw(
      failure.status,
      'application/json',
      JSON.stringify({ error: failure.error }),
      headers,
      failure.error.code,
    );
  }

  /** Sends bytes as they are (also used for deliberately malformed JSON); false when the client is gone. */
  sendRaw(
    status: number,
    contentType: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
    code: string | null = null,
  ): boolean {
    if (this.response.headersSent || this.response.destroyed || this.signal.aborted) return false;
    this.response.writeHead(status, { ...this.commonHeaders(), 'content-type': contentType, ...headers });
    this.response.end(body);
    this.host.recordStatus?.(status, code);
    return true;
  }

  /** Starts a `text/event-stream` response with status 200. */
  startEventStream(headers: Record<string, string> = {}): void {
    this.response.writeHead(200, {
      ...this.commonHeaders(),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    this.host.recordStatus?.(200, null);
  }

  /** Writes one SSE `data:` event. */
  writeEvent(data: string): void {
    if (!this.response.destroyed) this.response.write(`data: ${data}\n\n`);
  }

  /** Writes one SSE event with an `event:` name (the Responses API's semantic events). */
  writeNamedEvent(event: string, data: string): void {
    if (!this.response.destroyed) this.response.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Ends a streamed response. */
  endStream(): void {
    if (!this.response.destroyed) this.response.end();
  }

  /** Kills the connection without answering (an injected reset). */
  destroyConnection(): void {
    this.request.socket.destroy();
  }

  /** Waits `milliseconds`; false when the client left or the server closed meanwhile. */
  async pause(milliseconds: number): Promise<boolean> {
    if (this.signal.aborted) return false;
    if (milliseconds <= 0) return true;
    try {
      await this.host.sleep(milliseconds, this.signal);
      return true;
    } catch {
      return false;
    }
  }

  private commonHeaders(): Record<string, string> {
    return {
      'x-request-id': this.requestId,
      'openai-organization': this.host.organization,
      'openai-version': '2020-10-01',
      'openai-processing-ms': String(Date.now() - this.startedAt),
      ...this.host.rateLimitHeaders(this.rateLimitModel),
    };
  }
}
