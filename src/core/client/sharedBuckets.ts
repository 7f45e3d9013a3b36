import { createHash } from 'node:crypto';
import type { RedisConnection } from '../cache/redisConnection';
import { inferCapacity } from './bucketCorrection';
import type { RateLimitSnapshot } from './rateLimitHeaders';
import { SHARED_BUCKET_SCRIPT } from './sharedBucketScript';

/** Limits of one bucket pair as the shared store holds them (per minute and burst capacity). */
export interface SharedLimitsView {
  requestsPerMinute: number;
  requestsCapacity: number;
  tokensPerMinute: number;
  tokensCapacity: number;
}

/** What {@link SharedBuckets.take} answered: taken (`waitMs` 0) or how long until it could be, and the limits. */
export interface SharedTake {
  waitMs: number;
  limits: SharedLimitsView;
}

/**
 * Which account a client draws from, as a name safe to keep in Redis: SHA-256 of the base URL and the API key,
 * truncated to 96 bits. Two clients with the same key on the same backend share limits; the key itself never
 * leaves the process (and cannot be recovered from the hash: API keys carry far more than 96 bits).
 */
export function accountId(baseUrl: string, apiKey: string): string {
  return createHash('sha256')
    .update(`${baseUrl.replace(/\/+$/, '')}\n${apiKey}`)
    .digest('hex')
    .slice(0, 24);
}

/** How long a shared-limit command may take before this process uses its own buckets for a while, ms. */
const commandTimeoutMs = 1_000;
/**
 * Least refill margin the shared buckets keep, ms. A request admitted here reaches the server after its own
 * process's event-loop and connection delay, and those differ between processes (8 busy processes on 2 cores:
 * 5 429s in 200 requests with 100 ms); a bigger margin absorbs that, at the cost of a little burst, once.
 */
const sharedHeadroomMs = 250;
/** How long after a failed command the limiter stays local before asking Redis again, ms. */
const localForMs = 1_000;

/**
 * One account-and-model's requests and tokens buckets kept in Redis, so every process and machine using that
 * Redis with the same account draws from one pair (see `sharedBucketScript.ts` for the atomic update). Every
 * method answers `undefined` / does nothing while Redis is unreachable or slow, and then stays quiet for
 * {@link localForMs} so the limiter runs on its own buckets without waiting on timeouts.
 */
export class SharedBuckets {
  private localUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly connection: RedisConnection,
    /** The hash key, e.g. `promptmeter:v1:limits:<account>:<model>`. */
    private readonly key: string,
    private readonly now: () => number,
  ) {}

  /** Whether to ask Redis now (false for a while after a failure). */
  get usable(): boolean {
    return this.now() >= this.localUntil;
  }

  /** Takes 1 request and `weight` tokens atomically when both have room (`headroomMs` of refill to spare). */
  async take(local: SharedLimitsView, weight: number, headroomMs: number): Promise<SharedTake | undefined> {
    const reply = await this.call(local, 'take', [String(weight), String(Math.max(headroomMs, sharedHeadroomMs))]);
    if (!reply) return undefined;
    const [wait, requestsPerMinute, requestsCapacity, tokensPerMinute, tokensCapacity] = reply;
    return {
      waitMs: wait ?? 0,
      limits: {
        requestsPerMinute: requestsPerMinute ?? 1,
        requestsCapacity: requestsCapacity ?? 1,
        tokensPerMinute: tokensPerMinute ?? 1,
        tokensCapacity: tokensCapacity ?? 1,
      },
    };
  }

  /** Gives back (or takes away, when negative) requests and tokens: a 429's reservation, unused tokens. */
  async adjust(local: SharedLimitsView, requests: number, tokens: number): Promise<void> {
    await this.call(local, 'adjust', [String(requests), String(tokens)]);
  }

  /** Stops admission for every process for `milliseconds` (after a 429). */
  async pause(local: SharedLimitsView, milliseconds: number): Promise<void> {
    await this.call(local, 'pause', [String(Math.ceil(milliseconds))]);
  }

  /**
   * Applies one answer's headers: new limits and burst, and a level the server reports below ours. `slackMs`
   * is how long the request has been out plus the headroom: refill the server may have had that we have not
   * counted as taken by others.
   */
  async correct(local: SharedLimitsView, snapshot: RateLimitSnapshot, slackMs: number): Promise<void> {
    const part = (
      limit: number | undefined,
      remaining: number | undefined,
      resetMs: number | undefined,
      perMinute: number,
    ): string[] => {
      const effectiveLimit = limit ?? perMinute;
      const capacity = remaining === undefined ? undefined : inferCapacity(effectiveLimit, remaining, resetMs);
      const slack = (effectiveLimit / 60_000) * slackMs;
      return [limit, capacity, remaining, slack].map((value) => (value === undefined ? '' : String(value)));
    };
    if (
      snapshot.limitRequests === undefined &&
      snapshot.remainingRequests === undefined &&
      snapshot.limitTokens === undefined &&
      snapshot.remainingTokens === undefined
    )
      return;
    await this.call(local, 'correct', [
      ...part(snapshot.limitRequests, snapshot.remainingRequests, snapshot.resetRequestsMs, local.requestsPerMinute),
      ...part(snapshot.limitTokens, snapshot.remainingTokens, snapshot.resetTokensMs, local.tokensPerMinute),
    ]);
  }

  /** `local`: this process's current limits, used only by the first process to create the pair. */
  private async call(local: SharedLimitsView, operation: string, args: string[]): Promise<number[] | undefined> {
    if (!this.usable) return undefined;
    const limits = local;
    const reply = await this.connection.evalScript(
      SHARED_BUCKET_SCRIPT,
      [this.key],
      [
        operation,
        ...[limits.requestsPerMinute, limits.requestsCapacity, limits.tokensPerMinute, limits.tokensCapacity].map(
          String,
        ),
        ...args,
      ],
      commandTimeoutMs,
    );
    if (!Array.isArray(reply)) {
      this.localUntil = this.now() + localForMs;
      return undefined;
    }
    return reply.map((value) => Number(value));
  }
}
