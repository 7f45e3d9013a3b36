import { parseRateLimitDuration } from './durations';

/** Anything with a case-insensitive `get`, such as the fetch `Headers` the OpenAI SDK exposes. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/**
 * What one answer's headers say about the account's limits. Every field is optional: Azure, proxies and
 * local servers send some, all or none of them.
 */
export interface RateLimitSnapshot {
  /** `x-ratelimit-limit-requests`: requests per minute allowed. */
  limitRequests?: number;
  /** `x-ratelimit-limit-tokens`: tokens per minute allowed. */
  limitTokens?: number;
  /** `x-ratelimit-remaining-requests`: requests left in the bucket when this request was admitted. */
  remainingRequests?: number;
  /** `x-ratelimit-remaining-tokens`: tokens left in the bucket when this request was admitted. */
  remainingTokens?: number;
  /** `x-ratelimit-reset-requests`, in milliseconds: until the request bucket is full again. */
  resetRequestsMs?: number;
  /** `x-ratelimit-reset-tokens`, in milliseconds: until the token bucket is full again. */
  resetTokensMs?: number;
  /** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in milliseconds, never negative. */
  retryAfterMs?: number;
}

function readNumber(headers: HeaderReader, name: string): number | undefined {
  const text = headers.get(name);
  if (text === null || text === undefined || text.trim() === '') return undefined;
  const value = Number(text.trim());
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function readRetryAfter(headers: HeaderReader, wallClockMs: number): number | undefined {
  const milliseconds = readNumber(headers, 'retry-after-ms');
  if (milliseconds !== undefined) return milliseconds;
  const text = headers.get('retry-after')?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - wallClockMs);
}

/**
 * Reads the six `x-ratelimit-*` headers plus `retry-after-ms` / `retry-after`.
 *
 * @param wallClockMs epoch milliseconds "now", used only to turn an HTTP-date `retry-after` into a wait.
 * Invariant: unparsable or negative values are left out rather than guessed.
 */
export function parseRateLimitHeaders(headers: HeaderReader | undefined, wallClockMs: number): RateLimitSnapshot {
  const snapshot: RateLimitSnapshot = {};
  if (!headers) return snapshot;
  const assign = <K extends keyof RateLimitSnapshot>(key: K, value: number | undefined): void => {
    if (value !== undefined) snapshot[key] = value;
  };
  assign('limitRequests', readNumber(headers, 'x-ratelimit-limit-requests'));
  assign('limitTokens', readNumber(headers, 'x-ratelimit-limit-tokens'));
  assign('remainingRequests', readNumber(headers, 'x-ratelimit-remaining-requests'));
  assign('remainingTokens', readNumber(headers, 'x-ratelimit-remaining-tokens'));
  assign('resetRequestsMs', parseRateLimitDuration(headers.get('x-ratelimit-reset-requests')));
  assign('resetTokensMs', parseRateLimitDuration(headers.get('x-ratelimit-reset-tokens')));
  assign('retryAfterMs', readRetryAfter(headers, wallClockMs));
  return snapshot;
}
