import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRateLimitHeaders } from '../../src/core/client/rateLimitHeaders';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRateLimitHeaders', () => {
  test('reads all six x-ratelimit headers', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-limit-tokens': '200000',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-remaining-tokens': '199850',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-reset-tokens': '6m0s',
    });
    assert.deepEqual(parseRateLimitHeaders(headers, now), {
      limitRequests: 500,
      limitTokens: 200_000,
      remainingRequests: 499,
      remainingTokens: 199_850,
      resetRequestsMs: 120,
      resetTokensMs: 360_000,
    });
  });

  test('retry-after-ms wins over retry-after', () => {
    const headers = new Headers({ 'retry-after-ms': '1500.5', 'retry-after': '9' });
    assert.equal(parseRateLimitHeaders(headers, now).retryAfterMs, 1500.5);
  });

  test('retry-after in seconds', () => {
    assert.equal(parseRateLimitHeaders(new Headers({ 'retry-after': '2' }), now).retryAfterMs, 2_000);
  });

  test('retry-after as an HTTP date is the time until then, never negative', () => {
    const inFiveSeconds = new Date(now + 5_000).toUTCString();
    assert.equal(parseRateLimitHeaders(new Headers({ 'retry-after': inFiveSeconds }), now).retryAfterMs, 5_000);
    const past = new Date(now - 60_000).toUTCString();
    assert.equal(parseRateLimitHeaders(new Headers({ 'retry-after': past }), now).retryAfterMs, 0);
  });

  test('garbage and negative values are left out, not guessed', () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': 'many',
      'x-ratelimit-remaining-tokens': '-5',
      'x-ratelimit-reset-tokens': 'soon',
      'retry-after': 'later',
    });
    assert.deepEqual(parseRateLimitHeaders(headers, now), {});
  });

  test('no headers at all gives an empty snapshot', () => {
    assert.deepEqual(parseRateLimitHeaders(undefined, now), {});
    assert.deepEqual(parseRateLimitHeaders(new Headers(), now), {});
  });
});
