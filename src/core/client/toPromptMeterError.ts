import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  displayBaseUrl,
  InsufficientQuotaError,
  notAnApiError,
  PromptMeterError,
  RequestTooLargeError,
} from './errors';
import type { FailureReason } from './errors';
import { parseRateLimitHeaders } from './rateLimitHeaders';
import { redactSecrets } from './redactSecrets';

/** What the attempt knew when it failed, to tell a timeout from a cancellation. */
export interface FailureContext {
  /** Our per-attempt timer fired. */
  timedOut: boolean;
  /** The caller's (or the run's) signal aborted. */
  cancelled: boolean;
  apiKey?: string;
  /** The API root the call went to, for messages that name it (credentials are stripped before showing). */
  baseUrl?: string;
  /** Epoch milliseconds, for HTTP-date `retry-after`. */
  wallClockMs: number;
}

function reasonForStatus(status: number, code: string | undefined): FailureReason {
  if (status === 400) return code === 'context_length_exceeded' ? 'contextLength' : 'badRequest';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'notFound';
  if (status === 408) return 'requestTimeout';
  if (status === 409) return 'conflict';
  if (status === 422) return 'badRequest';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  return 'unknown';
}

/** Nothing listens there, or the name does not resolve: retried briefly, then the run stops (not half a minute). */
function isUnreachable(error: Error): boolean {
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code ?? cause?.cause?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(code);
}

function isConnectionFailure(error: Error): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  if (typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET)/.test(code)) return true;
  return error instanceof TypeError && /terminated|fetch failed|other side closed/i.test(error.message);
}

/**
 * Turns whatever an attempt threw (OpenAI SDK errors, fetch/undici errors, JSON `SyntaxError`s, aborts) into
 * one {@link PromptMeterError} with a reason the retry policy understands and a message free of secrets.
 */
export function toPromptMeterError(error: unknown, context: FailureContext): PromptMeterError {
  if (error instanceof PromptMeterError) return error;
  const raw = error instanceof Error ? error : new Error(String(error));
  const message = redactSecrets(raw.message, context.apiKey);

  if (context.cancelled) return new PromptMeterError({ reason: 'cancelled', message: 'The call was cancelled.' });
  if (context.timedOut || raw instanceof APIConnectionTimeoutError) {
    return new PromptMeterError({ reason: 'timeout', message: 'The request timed out.' });
  }
  if (raw instanceof APIUserAbortError || raw.name === 'AbortError') {
    return new PromptMeterError({ reason: 'cancelled', message: 'The call was cancelled.' });
  }
  if (raw instanceof APIConnectionError || isConnectionFailure(raw) || isUnreachable(raw)) {
    if (isUnreachable(raw) || isUnreachable((raw as { cause?: Error }).cause ?? raw)) {
      return new PromptMeterError({
        reason: 'unreachable',
        message: `Cannot reach ${displayBaseUrl(context.baseUrl)}: ${unreachableWhy(raw)}.`,
      });
    }
    if (raw instanceof APIConnectionError)
      return new PromptMeterError({
        reason: 'connection',
        message: `Connection to ${displayBaseUrl(context.baseUrl)} failed: ${message}`,
      });
  }
  if (raw instanceof APIError && typeof raw.status === 'number') {
    const body = (raw.error ?? {}) as { code?: unknown; type?: unknown; message?: unknown };
    const code = typeof raw.code === 'string' ? raw.code : undefined;
    const type = typeof body.type === 'string' ? body.type : undefined;
    const serverMessage = redactSecrets(typeof body.message === 'string' ? body.message : raw.message, context.apiKey);
    if (raw.status === 429 && (code === 'insufficient_quota' || type === 'insufficient_quota')) {
      return new InsufficientQuotaError(serverMessage);
    }
    if (raw.status === 429 && /request too large/i.test(serverMessage)) {
      return new RequestTooLargeError(undefined, undefined, serverMessage);
    }
    // A 404 for the route itself (OpenAI: "Invalid URL (POST /chat/completions)"; proxies and web servers: no JSON
    // error at all) means this is not the API root. OpenAI's model_not_found and missing files/batches are not that.
    if (
      raw.status === 404 &&
      code !== 'model_not_found' &&
      (type === undefined || /^Invalid URL|no route/i.test(serverMessage))
    ) {
      return notAnApiError(context.baseUrl, `404: ${serverMessage.slice(0, 80)}`);
    }
    const snapshot = parseRateLimitHeaders(raw.headers ?? undefined, context.wallClockMs);
    return new PromptMeterError({
      reason: reasonForStatus(raw.status, code),
      status: raw.status,
      ...(code === undefined ? {} : { code }),
      ...(snapshot.retryAfterMs === undefined ? {} : { retryAfterMs: snapshot.retryAfterMs }),
      message: `${raw.status}: ${serverMessage}`,
    });
  }
  if (raw instanceof SyntaxError) {
    return new PromptMeterError({
      reason: 'malformedResponse',
      message: `The server sent a broken answer: ${message}`,
    });
  }
  if (isConnectionFailure(raw)) {
    return new PromptMeterError({ reason: 'connection', message: `Connection failed: ${message}` });
  }
  return new PromptMeterError({ reason: 'unknown', message });
}

function unreachableWhy(error: Error): string {
  const text = `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return 'the host name does not resolve';
  if (/EHOSTUNREACH|ENETUNREACH/.test(text)) return 'no route to the host';
  return 'connection refused (is the server running?)';
}
