import { formatResetDuration } from './duration';
import { type ApiFailure, type LimitKind, rateLimitReached, requestTooLarge } from './errors';
import type { TestServerOptions } from './options';
import { TokenBucket } from './tokenBucket';

/** The outcome of asking the limiter to admit one request; `headers` go on the response either way. */
export type Admission =
  | { readonly admitted: true; readonly headers: Record<string, string> }
  | { readonly admitted: false; readonly failure: ApiFailure; readonly headers: Record<string, string> };

interface BucketPair {
  readonly signature: string;
  readonly requests: TokenBucket | undefined;
  readonly tokens: TokenBucket | undefined;
}

/**
 * RPM and TPM buckets, shared by the whole server or per model (`limitsByModel`), with OpenAI's 429 bodies and
 * `x-ratelimit-*` headers. A request is admitted only when both buckets have room, and then takes from both.
 * Buckets are rebuilt whenever their configured limits change.
 */
export class RateLimiter {
  private readonly scopes = new Map<string, BucketPair>();

  constructor(
    private readonly options: () => TestServerOptions,
    private readonly now: () => number,
  ) {}

  /** Refills every bucket (forgets all use). */
  reset(): void {
    this.scopes.clear();
  }

  /**
   * Admits one request of `weight` tokens for `model`, or explains the 429.
   * @param weight prompt tokens + max output tokens × n (the TPM charge at admission)
   */
  admit(model: string, weight: number): Admission {
    const pair = this.bucketsFor(model);
    const { organization } = this.options();
    if (pair.tokens && weight > pair.tokens.limit) {
      return {
        admitted: false,
        failure: requestTooLarge(model, organization, pair.tokens.limit, weight),
        headers: this.headersOf(pair),
      };
    }
    const blocked = this.firstBlocked(pair, weight);
    if (blocked) {
      const { bucket, kind, amount } = blocked;
      const waitMilliseconds = bucket.millisecondsUntilRoom(amount);
      const failure = rateLimitReached({
        model,
        organization,
        kind,
        limit: bucket.limit,
        used: bucket.limit - bucket.remaining(),
        requested: amount,
        retryText: formatResetDuration(waitMilliseconds),
      });
      return { admitted: false, failure, headers: { ...this.headersOf(pair), ...this.retryHeaders(waitMilliseconds) } };
    }
    pair.requests?.take(1);
    pair.tokens?.take(weight);
    return { admitted: true, headers: this.headersOf(pair) };
  }

  /** `x-ratelimit-*` headers for `model`'s scope (the server-wide one when undefined); absent limits are omitted. */
  headers(model: string | undefined): Record<string, string> {
    return this.headersOf(this.bucketsFor(model));
  }

  private firstBlocked(
    pair: BucketPair,
    weight: number,
  ): { bucket: TokenBucket; kind: LimitKind; amount: number } | undefined {
    if (pair.requests && !pair.requests.hasRoom(1)) return { bucket: pair.requests, kind: 'requests', amount: 1 };
    if (pair.tokens && !pair.tokens.hasRoom(weight)) return { bucket: pair.tokens, kind: 'tokens', amount: weight };
    return undefined;
  }

  private retryHeaders(waitMilliseconds: number): Record<string, string> {
    const options = this.options();
    const headers: Record<string, string> = {};
    const milliseconds = Math.max(1, Math.ceil(waitMilliseconds));
    if (options.sendRetryAfterMs) headers['retry-after-ms'] = String(milliseconds);
    if (options.sendRetryAfter) headers['retry-after'] = String(Math.ceil(milliseconds / 1000));
    return headers;
  }

  private headersOf(pair: BucketPair): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [kind, bucket] of [
      ['requests', pair.requests],
      ['tokens', pair.tokens],
    ] as const) {
      if (!bucket) continue;
      headers[`x-ratelimit-limit-${kind}`] = String(bucket.limit);
      headers[`x-ratelimit-remaining-${kind}`] = String(bucket.remaining());
      headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(bucket.millisecondsUntilFull());
    }
    return headers;
  }

  private bucketsFor(model: string | undefined): BucketPair {
    const options = this.options();
    const own = model === undefined ? undefined : options.limitsByModel[model];
    const key = own ? `model:${model}` : 'server';
    const rpm = own?.rpm ?? options.rpm;
    const tpm = own?.tpm ?? options.tpm;
    const signature = `${rpm}/${tpm}/${options.burstSeconds}`;
    const existing = this.scopes.get(key);
    if (existing?.signature === signature) return existing;
    const created: BucketPair = {
      signature,
      requests: rpm === undefined ? undefined : new TokenBucket(rpm, options.burstSeconds, this.now),
      tokens: tpm === undefined ? undefined : new TokenBucket(tpm, options.burstSeconds, this.now),
    };
    this.scopes.set(key, created);
    return created;
  }
}
