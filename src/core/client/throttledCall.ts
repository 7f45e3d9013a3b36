import { APIError } from 'openai';
import type { ClientCounters } from './clientCounters';
import type { Clock } from './clock';
import { PromptMeterError } from './errors';
import { parseRateLimitHeaders } from './rateLimitHeaders';
import type { RateLimitSnapshot } from './rateLimitHeaders';
import type { RateLimiter } from './rateLimiter';
import type { RetryPolicy } from './retryPolicy';
import { runWithRetries } from './retryRunner';
import { toPromptMeterError } from './toPromptMeterError';

/** One HTTP exchange's answer, as `send` returns it. */
export interface SentAnswer<T> {
  value: T;
  headers: Headers;
  /** Prompt + completion tokens actually used, for the limiter's refund. */
  usedTokens?: number;
}

/** Everything one throttled, retried call needs. */
export interface ThrottledCallOptions<T> {
  limiter: RateLimiter;
  /** Tokens to reserve per attempt. */
  weight: number;
  policy: RetryPolicy;
  clock: Clock;
  /** The caller's and the run's cancellation, combined. */
  signal: AbortSignal;
  /** Per-attempt limit on the whole exchange (headers and body), ms. */
  timeoutMs: number;
  apiKey: string;
  /** For messages that name the server (credentials stripped before showing). */
  baseUrl?: string;
  counters: ClientCounters;
  /** One HTTP exchange; `signal` aborts on cancellation or the attempt's timeout. */
  send(signal: AbortSignal, attemptNumber: number): Promise<SentAnswer<T>>;
  /** Told at once when an attempt finds the account out of quota, so the whole run stops. */
  /** The failure stops every call of the run (out of quota, key rejected, not an API, host unreachable). */
  onStopRun(error: PromptMeterError): void;
}

/** Filled in while a call runs, readable after it succeeds or fails (for the ledger). */
export interface CallProgress {
  retries: number;
  /** Attempts that got past the limiter and went to the network (0 when cancelled or rejected while queued). */
  attempts: number;
}

/** How long a 429 pauses the limiter: the server's `retry-after`, else the reset of the empty bucket, else 1 s. */
function pauseAfterRateLimit(error: PromptMeterError, snapshot: RateLimitSnapshot): number {
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  if (snapshot.remainingRequests === 0 && snapshot.resetRequestsMs !== undefined) return snapshot.resetRequestsMs;
  if (snapshot.resetTokensMs !== undefined) return snapshot.resetTokensMs;
  return 1_000;
}

/**
 * Runs one request through the limiter (a permit per attempt), the per-attempt timeout and the retry policy.
 * Every answer's headers correct the limiter; a 429 is refunded (the server did not count it) and pauses the
 * limiter for everyone; `insufficient_quota` stops the run. Errors leave as {@link PromptMeterError}s; a
 * stopped run rejects with the error that stopped it (out of quota, key rejected, not an API, unreachable).
 */
export async function runThrottledCall<T>(options: ThrottledCallOptions<T>, progress: CallProgress): Promise<T> {
  const { limiter, signal, counters, clock } = options;
  const normalize = (raw: unknown, timedOut: boolean): PromptMeterError => {
    if (signal.aborted && signal.reason instanceof PromptMeterError) return signal.reason;
    return toPromptMeterError(raw, {
      timedOut,
      cancelled: signal.aborted,
      apiKey: options.apiKey,
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      wallClockMs: clock.wallClockMs(),
    });
  };
  const attempt = async (attemptNumber: number): Promise<T> => {
    let permit;
    try {
      permit = await limiter.acquire(options.weight, signal);
    } catch (raw) {
      throw normalize(raw, false);
    }
    counters.requests += 1;
    progress.attempts += 1;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    try {
      const answer = await options.send(AbortSignal.any([signal, timeout]), attemptNumber);
      permit.complete({
        snapshot: parseRateLimitHeaders(answer.headers, clock.wallClockMs()),
        ...(answer.usedTokens === undefined ? {} : { usedTokens: answer.usedTokens }),
      });
      return answer.value;
    } catch (raw) {
      const error = normalize(raw, timeout.aborted && !signal.aborted);
      const headers = raw instanceof APIError ? raw.headers : undefined;
      const snapshot = parseRateLimitHeaders(headers, clock.wallClockMs());
      if (error.status === 429) {
        counters.rateLimited += 1;
        permit.complete({ snapshot, rejected: true });
        if (error.reason === 'rateLimited') limiter.pauseFor(pauseAfterRateLimit(error, snapshot));
      } else {
        permit.complete(headers ? { snapshot } : {});
      }
      if (options.policy.decide(error, attemptNumber - 1) === 'stopRun') options.onStopRun(error);
      throw error;
    }
  };
  try {
    return await runWithRetries(attempt, {
      policy: options.policy,
      clock,
      signal,
      onRetry: () => {
        progress.retries += 1;
        counters.retries += 1;
      },
    });
  } catch (raw) {
    throw normalize(raw, false);
  }
}
