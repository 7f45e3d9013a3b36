import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { InsufficientQuotaError, PromptMeterError, RequestTooLargeError } from '../../src/core/client/errors';
import type { FailureReason } from '../../src/core/client/errors';
import { RetryPolicy, stopsTheRun } from '../../src/core/client/retryPolicy';
import type { RetryDecision } from '../../src/core/client/retryPolicy';
import { toPromptMeterError } from '../../src/core/client/toPromptMeterError';
import { fakeApiKey } from '../support/fakeKeys';

const wallClockMs = Date.UTC(2026, 0, 1);
const context = { timedOut: false, cancelled: false, apiKey: fakeApiKey('proj-SECRETSECRETSECRET'), wallClockMs };
const policy = new RetryPolicy({ random: () => 0.5 });

function apiError(
  status: number,
  body: { message: string; type?: string; code?: string } | undefined,
  headers: Record<string, string> = {},
): APIError {
  return APIError.generate(
    status,
    body === undefined ? undefined : { error: body },
    body === undefined ? 'Not Found' : undefined,
    new Headers(headers),
  );
}

function classify(
  error: unknown,
  overrides: Partial<typeof context> = {},
): { error: PromptMeterError; decision: RetryDecision } {
  const converted = toPromptMeterError(error, { ...context, ...overrides });
  return { error: converted, decision: policy.decide(converted) };
}

const table: Array<[string, () => unknown, RetryDecision, FailureReason]> = [
  ['408 request timeout', () => apiError(408, { message: 'Request timed out' }), 'retry', 'requestTimeout'],
  ['409 conflict', () => apiError(409, { message: 'Conflict' }), 'retry', 'conflict'],
  [
    '429 rate_limit_exceeded',
    () =>
      apiError(429, {
        message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM)',
        type: 'requests',
        code: 'rate_limit_exceeded',
      }),
    'retry',
    'rateLimited',
  ],
  [
    '429 insufficient_quota',
    () =>
      apiError(429, {
        message: 'You exceeded your current quota',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      }),
    'stopRun',
    'insufficientQuota',
  ],
  [
    '429 Request too large',
    () =>
      apiError(429, {
        message: 'Request too large for gpt-4o on tokens per min (TPM): Limit 30000, Requested 50000.',
        type: 'tokens',
        code: 'rate_limit_exceeded',
      }),
    'fatal',
    'requestTooLarge',
  ],
  ['500', () => apiError(500, { message: 'The server had an error', type: 'server_error' }), 'retry', 'server'],
  ['502', () => apiError(502, { message: 'Bad gateway' }), 'retry', 'server'],
  ['503', () => apiError(503, { message: 'The engine is currently overloaded' }), 'retry', 'server'],
  ['504', () => apiError(504, { message: 'Gateway timeout' }), 'retry', 'server'],
  [
    '400',
    () => apiError(400, { message: "Invalid value for 'temperature'", type: 'invalid_request_error' }),
    'fatal',
    'badRequest',
  ],
  [
    '400 context length',
    () =>
      apiError(400, {
        message: "This model's maximum context length is 128000 tokens",
        code: 'context_length_exceeded',
      }),
    'fatal',
    'contextLength',
  ],
  [
    '401',
    () => apiError(401, { message: 'Incorrect API key provided', code: 'invalid_api_key' }),
    'stopRun',
    'authentication',
  ],
  ['403', () => apiError(403, { message: 'Project does not have access to model' }), 'stopRun', 'permission'],
  ['404', () => apiError(404, { message: 'The model does not exist', code: 'model_not_found' }), 'fatal', 'notFound'],
  [
    '404 on the route',
    () => apiError(404, { message: 'Invalid URL (POST /chat/completions)', type: 'invalid_request_error' }),
    'stopRun',
    'notAnApi',
  ],
  ['404 from a web server', () => apiError(404, undefined), 'stopRun', 'notAnApi'],
  [
    'connection refused',
    () =>
      new APIConnectionError({
        message: 'Connection error.',
        cause: Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
        }),
      }),
    'retry',
    'unreachable',
  ],
  ['422', () => apiError(422, { message: 'Unprocessable' }), 'fatal', 'badRequest'],
  [
    'connection reset',
    () =>
      new APIConnectionError({
        message: 'Connection error.',
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
    'retry',
    'connection',
  ],
  [
    'body cut off mid-stream',
    () =>
      new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
    'retry',
    'connection',
  ],
  ['SDK timeout', () => new APIConnectionTimeoutError(), 'retry', 'timeout'],
  ['malformed JSON in a 200', () => new SyntaxError('Unexpected end of JSON input'), 'retry', 'malformedResponse'],
  ['an unknown error', () => new Error('something odd'), 'fatal', 'unknown'],
];

describe('retry classification', () => {
  for (const [name, make, decision, reason] of table) {
    test(`${name} → ${decision} (${reason})`, () => {
      const result = classify(make());
      assert.equal(result.error.reason, reason);
      assert.equal(result.decision, decision);
    });
  }

  test('insufficient_quota becomes the typed InsufficientQuotaError that says what to do', () => {
    const { error } = classify(
      apiError(429, { message: 'You exceeded your current quota', code: 'insufficient_quota' }),
    );
    assert.ok(error instanceof InsufficientQuotaError);
    assert.match(
      error.message,
      /out of quota: add credit at platform\.openai\.com\/account\/billing, then resume the run/,
    );
    assert.ok(error.action);
  });

  test('the server "Request too large" 429 becomes RequestTooLargeError', () => {
    const { error } = classify(apiError(429, { message: 'Request too large for gpt-4o', code: 'rate_limit_exceeded' }));
    assert.ok(error instanceof RequestTooLargeError);
  });

  test('our own timer firing is a retryable timeout; the caller aborting is a fatal cancellation', () => {
    assert.deepEqual(
      [
        classify(new APIUserAbortError(), { timedOut: true }).decision,
        classify(new APIUserAbortError(), { timedOut: true }).error.reason,
      ],
      ['retry', 'timeout'],
    );
    assert.deepEqual(
      [
        classify(new APIUserAbortError(), { cancelled: true }).decision,
        classify(new APIUserAbortError(), { cancelled: true }).error.reason,
      ],
      ['fatal', 'cancelled'],
    );
  });

  test('a 429 carries the server retry-after into the error', () => {
    const { error } = classify(
      apiError(429, { message: 'slow down', code: 'rate_limit_exceeded' }, { 'retry-after-ms': '1234' }),
    );
    assert.equal(error.retryAfterMs, 1234);
  });

  test('the API key never appears in the error, even when the server echoes it', () => {
    const { error } = classify(
      apiError(401, {
        message: `Incorrect API key provided: ${context.apiKey}. Also ${fakeApiKey('otherKEY1234567890')}.`,
      }),
    );
    assert.doesNotMatch(error.message, /SECRETSECRET/);
    assert.doesNotMatch(error.message, /otherKEY/);
    assert.match(error.message, /\[redacted\]/);
    const azureKey = '0123456789abcdef'.repeat(2); // Azure keys are 32 hex digits
    const azure = toPromptMeterError(apiError(401, { message: `Access denied due to invalid key ${azureKey}` }), {
      ...context,
      apiKey: azureKey,
    });
    assert.doesNotMatch(azure.message, new RegExp(azureKey));
  });
});

describe('backoff', () => {
  const rateLimited = new PromptMeterError({ reason: 'rateLimited', message: '429' });
  const server = new PromptMeterError({ reason: 'server', message: '500' });

  test('exponential ceiling with equal jitter: within [ceiling/2, ceiling)', () => {
    const low = new RetryPolicy({ random: () => 0, baseDelayMs: 500, maxDelayMs: 30_000 });
    const high = new RetryPolicy({ random: () => 0.999_999, baseDelayMs: 500, maxDelayMs: 30_000 });
    for (const [retry, ceiling] of [
      [1, 500],
      [2, 1_000],
      [3, 2_000],
      [4, 4_000],
      [7, 30_000],
      [20, 30_000],
    ] as const) {
      assert.equal(low.delayMs(retry, server), ceiling / 2);
      const top = high.delayMs(retry, server);
      assert.ok(top < ceiling && top > ceiling * 0.999, `retry ${retry}: ${top} vs ${ceiling}`);
    }
  });

  test('honours retry-after: at least that long, plus at most 10 % (≤ 1 s) of jitter', () => {
    const jittery = new RetryPolicy({ random: () => 0.999_999 });
    const calm = new RetryPolicy({ random: () => 0 });
    const withRetryAfter = new PromptMeterError({ reason: 'rateLimited', message: '429', retryAfterMs: 3_000 });
    assert.equal(calm.delayMs(1, withRetryAfter), 3_000);
    const top = jittery.delayMs(1, withRetryAfter);
    assert.ok(top >= 3_000 && top < 3_300);
    const long = new PromptMeterError({ reason: 'rateLimited', message: '429', retryAfterMs: 60_000 });
    assert.ok(jittery.delayMs(1, long) < 61_000);
  });

  test('a short retry-after on a 5xx does not shorten the exponential backoff', () => {
    const calm = new RetryPolicy({ random: () => 0 });
    const failure = new PromptMeterError({ reason: 'server', message: '503', retryAfterMs: 10 });
    assert.equal(calm.delayMs(4, failure), 2_000);
    assert.equal(calm.delayMs(1, rateLimited), 250);
  });

  test('a retry-after beyond maxRetryAfterMs is not waited for', () => {
    const strict = new RetryPolicy({ random: () => 0, maxRetryAfterMs: 10_000 });
    assert.equal(
      strict.decide(new PromptMeterError({ reason: 'rateLimited', message: '429', retryAfterMs: 10_001 })),
      'fatal',
    );
    assert.equal(
      strict.decide(new PromptMeterError({ reason: 'rateLimited', message: '429', retryAfterMs: 10_000 })),
      'retry',
    );
  });
});

describe('what cannot succeed stops at once, and says where', () => {
  const baseUrl = 'http://user:secret@127.0.0.1:9/v1';
  test('an unreachable host: two quick retries (under a second in all), then the run stops naming the URL without credentials', () => {
    const refused = toPromptMeterError(
      new APIConnectionError({
        message: 'Connection error.',
        cause: Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      }),
      { ...context, baseUrl },
    );
    assert.deepEqual(
      [0, 1, 2].map((retries) => policy.decide(refused, retries)),
      ['retry', 'retry', 'stopRun'],
    );
    assert.ok(policy.delayMs(1, refused) + policy.delayMs(2, refused) < 1000);
    assert.equal(refused.message, 'Cannot reach http://127.0.0.1:9/v1: connection refused (is the server running?).');
    assert.equal(stopsTheRun(refused), true);
  });

  test('a base URL without /v1 answering 404 on the route: "did you mean <url>/v1?"', () => {
    const error = toPromptMeterError(
      apiError(404, { message: 'Invalid URL (POST /chat/completions)', type: 'invalid_request_error' }),
      { ...context, baseUrl: 'http://127.0.0.1:8080' },
    );
    assert.equal(error.reason, 'notAnApi');
    assert.match(
      error.message,
      /^http:\/\/127\.0\.0\.1:8080 does not look like an OpenAI-compatible API \(404: Invalid URL .*\) — did you mean http:\/\/127\.0\.0\.1:8080\/v1\?$/,
    );
  });
});
