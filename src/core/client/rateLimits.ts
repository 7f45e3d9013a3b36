import type { RateLimitSnapshot } from './rateLimitHeaders';

/** Where a limiter starts before any answer has told it the account's real limits. */
export interface RateLimits {
  /** Requests per minute (RPM); each request weighs 1. */
  requestsPerMinute: number;
  /** Tokens per minute (TPM); a request weighs its estimated prompt tokens + max_tokens × n. */
  tokensPerMinute: number;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * Seconds of the per-minute rate the buckets hold before headers say otherwise. Default 1: OpenAI enforces
   * per-minute limits over shorter windows, so assuming a full minute of burst earns 429s at the start.
   */
  burstSeconds?: number;
  /**
   * Milliseconds of refill kept in the buckets as a margin. Default 100. Requests reach the server a little
   * after we admit them, and that delay varies (event loop, connection set-up); a bucket run exactly to empty
   * turns that jitter into 429s. The margin costs only the initial burst, not the steady rate.
   */
  headroomMs?: number;
  /**
   * True when `tokensPerMinute` is the account's real limit (configured by the user), so a single request above
   * it is rejected before sending. Headers that carry `x-ratelimit-limit-tokens` make it known as well.
   */
  tokenLimitKnown?: boolean;
}

/** How a request's HTTP exchange ended, for {@link RateLimitPermit.complete}. */
export interface PermitOutcome {
  /** The answer's rate-limit headers (success or error), when there was an answer. */
  snapshot?: RateLimitSnapshot;
  /**
   * Prompt + completion tokens from `usage`; reserved-but-unused tokens are refunded, but only while the server
   * has sent no `x-ratelimit-remaining-tokens`: once it does, its own accounting (refund or not) reaches us
   * through those headers, and refunding as well would count the same tokens twice. Omit when unknown.
   */
  usedTokens?: number;
  /** The server refused the request (429) without counting it: both reservations are refunded. */
  rejected?: boolean;
}

/** A granted slot. Complete it exactly once when the HTTP exchange is over (extra calls are ignored). */
export interface RateLimitPermit {
  /** Tokens reserved for this request. */
  readonly weight: number;
  complete(outcome?: PermitOutcome): void;
}
