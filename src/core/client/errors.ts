/**
 * Why a call failed, in words a caller can switch on. Each reason maps to one retry decision in
 * `retryPolicy.ts` and one sentence for the user here.
 */
export type FailureReason =
  | 'insufficientQuota'
  | 'requestTooLarge'
  | 'rateLimited'
  | 'contextLength'
  | 'badRequest'
  | 'authentication'
  | 'permission'
  | 'notFound'
  | 'requestTimeout'
  | 'conflict'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'malformedResponse'
  | 'notAnApi'
  | 'unreachable'
  | 'cancelled'
  | 'unknown';

/** Facts about a failure; `message` must already be free of secrets (see `redactSecrets`). */
export interface FailureDetails {
  reason: FailureReason;
  message: string;
  status?: number;
  code?: string;
  /** Milliseconds the server asked us to wait (`retry-after-ms` / `retry-after`). */
  retryAfterMs?: number;
  /** What the user can do about it, one short imperative sentence. */
  action?: string;
}

const defaultActions: Partial<Record<FailureReason, string>> = {
  authentication: 'Set a valid API key (Prompt Meter: Set API Key, or OPENAI_API_KEY for the CLI).',
  permission: 'Use a key or project that has access to this model, or pick another model.',
  notFound: 'Check the model name and the base URL.',
  contextLength: 'Shorten the prompt or lower max_tokens, or pick a model with a longer context.',
  badRequest: 'Fix the request parameters named in the message.',
  rateLimited: 'Lower the concurrency or the rate limits in the settings, or try again later.',
  server: 'The service is having trouble; try again later.',
  connection: 'Check the network connection and the base URL.',
  timeout: 'Raise the request timeout or try again later.',
  malformedResponse: 'The server answered with a broken body; check the base URL or proxy.',
  notAnApi: 'Set promptmeter.baseUrl (or --base-url) to the API root, usually ending in /v1.',
  unreachable: 'Check that the server is running and promptmeter.baseUrl (or --base-url) is right.',
};

/**
 * The base URL as it may be shown: credentials (`user:pass@`) and query removed, so a message never carries them.
 * Undefined in, `the base URL` out.
 */
export function displayBaseUrl(baseUrl: string | undefined): string {
  if (!baseUrl) return 'the base URL';
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return 'the base URL';
  }
}

/** "<url> does not look like an OpenAI-compatible API (<what>) — did you mean <url>/v1?" */
export function notAnApiError(baseUrl: string | undefined, what: string): PromptMeterError {
  const shown = displayBaseUrl(baseUrl);
  const suggestion = baseUrl && !/\/v1$/.test(shown) ? ` — did you mean ${shown}/v1?` : '.';
  return new PromptMeterError({
    reason: 'notAnApi',
    message: `${shown} does not look like an OpenAI-compatible API (${what})${suggestion}`,
  });
}

/**
 * Every failure the client reports is one of these, with a user-facing `message` and an `action`.
 * Invariant: no API key or prompt text is ever part of `message` (callers redact before constructing).
 */
export class PromptMeterError extends Error {
  readonly reason: FailureReason;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly action: string | undefined;

  constructor(details: FailureDetails) {
    super(details.message);
    this.name = 'PromptMeterError';
    this.reason = details.reason;
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.action = details.action ?? defaultActions[details.reason];
  }
}

/**
 * 429 `insufficient_quota`: the account has no credit. Retrying cannot help, so the client stops the whole
 * run at once (every queued and later call rejects with this error until `resume()`).
 */
export class InsufficientQuotaError extends PromptMeterError {
  constructor(serverMessage?: string) {
    super({
      reason: 'insufficientQuota',
      status: 429,
      code: 'insufficient_quota',
      message:
        'Your OpenAI account is out of quota: add credit at platform.openai.com/account/billing, then resume the run.' +
        (serverMessage ? ` (server said: ${serverMessage})` : ''),
      action: 'Add credit at platform.openai.com/account/billing, then resume the run.',
    });
    this.name = 'InsufficientQuotaError';
  }
}

/**
 * One request needs more tokens than the model's whole tokens-per-minute limit, so it can never be admitted.
 * Raised before sending when our estimate exceeds the known limit, or from the server's "Request too large" 429.
 */
export class RequestTooLargeError extends PromptMeterError {
  constructor(
    readonly requestedTokens: number | undefined,
    readonly limitTokens: number | undefined,
    serverMessage?: string,
  ) {
    const sizes =
      requestedTokens !== undefined && limitTokens !== undefined
        ? `about ${Math.ceil(requestedTokens)} tokens (prompt + max_tokens × n) but the limit is ${limitTokens} tokens per minute`
        : 'more tokens than the tokens-per-minute limit allows';
    super({
      reason: 'requestTooLarge',
      status: serverMessage === undefined ? undefined : 429,
      code: 'request_too_large',
      message: `This request needs ${sizes}.` + (serverMessage ? ` (server said: ${serverMessage})` : ''),
      action: 'Shorten the prompt, lower max_tokens or n, or use a model with a higher tokens-per-minute limit.',
    });
    this.name = 'RequestTooLargeError';
  }
}
