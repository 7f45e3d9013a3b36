import type { FailureReason, PromptMeterError } from './errors';

/** What to do after a failed attempt. `stopRun` aborts every call of the run, not only this one. */
export type RetryDecision = 'retry' | 'fatal' | 'stopRun';

/** Tuning for {@link RetryPolicy}; all durations in milliseconds. */
export interface RetryPolicyOptions {
  /** Retries after the first attempt (so `retries + 1` attempts at most). Default 6. */
  retries?: number;
  /** First backoff ceiling. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest backoff ceiling. Default 30 000 ms. */
  maxDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the call fails instead. Default 120 000 ms. */
  maxRetryAfterMs?: number;
  /** Uniform in [0, 1); injected so tests are deterministic. Production passes a crypto-backed source. */
  random: () => number;
}

const decisions: Record<FailureReason, RetryDecision> = {
  insufficientQuota: 'stopRun',
  requestTooLarge: 'fatal',
  rateLimited: 'retry',
  contextLength: 'fatal',
  badRequest: 'fatal',
  // A rejected key or a model the key may not use fails the same way for every call: stop, say so once.
  authentication: 'stopRun',
  permission: 'stopRun',
  notFound: 'fatal',
  requestTimeout: 'retry',
  conflict: 'retry',
  server: 'retry',
  connection: 'retry',
  timeout: 'retry',
  malformedResponse: 'retry',
  notAnApi: 'stopRun',
  // Retried briefly (see UNREACHABLE_RETRIES), then the run stops naming the URL.
  unreachable: 'retry',
  cancelled: 'fatal',
  unknown: 'fatal',
};

/**
 * Whether a failure that reached its caller stopped the whole run (every other call rejects with it too): out of
 * quota, key rejected, no access, not an API, host unreachable after its quick retries.
 */
export function stopsTheRun(error: PromptMeterError): boolean {
  return decisions[error.reason] === 'stopRun' || error.reason === 'unreachable';
}

/** A host that refuses connections or does not resolve gets this many quick retries, then the run stops. */
export const UNREACHABLE_RETRIES = 2;
const UNREACHABLE_DELAY_MS = 300;

/**
 * Decides which failures can succeed on another try, and how long to wait first.
 *
 * Retried: 408, 409, 429 `rate_limit_exceeded`, 5xx, connection resets, timeouts, 200s with a broken body.
 * Never retried: 429 `insufficient_quota`, 401, 403, a base URL that is not an API (HTML or non-JSON 200s, 404 on
 * the route) — these stop the run —, "Request too large", 400 (including context length), 404 `model_not_found`,
 * 422, cancellation, and anything unrecognised. An unreachable host is retried twice within a second, then stops.
 */
export class RetryPolicy {
  readonly retries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;

  constructor(options: RetryPolicyOptions) {
    this.retries = options.retries ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.random = options.random;
  }

  /** The decision for one failure; a server `retry-after` beyond `maxRetryAfterMs` turns a retry into fatal. */
  decide(error: PromptMeterError, retriesConsumed = 0): RetryDecision {
    if (error.reason === 'unreachable') return retriesConsumed < UNREACHABLE_RETRIES ? 'retry' : 'stopRun';
    const decision = decisions[error.reason];
    if (decision === 'retry' && error.retryAfterMs !== undefined && error.retryAfterMs > this.maxRetryAfterMs) {
      return 'fatal';
    }
    return decision;
  }

  /**
   * Milliseconds to wait before retry number `retryNumber` (1 for the first retry).
   *
   * Exponential ceiling `min(maxDelay, base × 2^(n-1))` with "equal jitter" (a uniform pick in
   * [ceiling/2, ceiling)) so callers that failed together do not come back together. When the server sent
   * `retry-after`, we wait at least that long, plus up to 10 % jitter (at most 1 s) for the same reason.
   */
  delayMs(retryNumber: number, error: PromptMeterError): number {
    if (error.reason === 'unreachable') return UNREACHABLE_DELAY_MS * retryNumber;
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
    const backoff = ceiling / 2 + (this.random() * ceiling) / 2;
    if (error.retryAfterMs === undefined) return backoff;
    const spread = Math.min(1_000, error.retryAfterMs * 0.1);
    return Math.max(error.retryAfterMs + this.random() * spread, error.reason === 'rateLimited' ? 0 : backoff);
  }
}
