import { correctBucket } from './bucketCorrection';
import type { AdmissionView } from './bucketCorrection';
import type { Clock } from './clock';
import { RequestTooLargeError } from './errors';
import type { RateLimitSnapshot } from './rateLimitHeaders';
import type { SharedBuckets, SharedLimitsView, SharedTake } from './sharedBuckets';
import type { RateLimitPermit, RateLimits } from './rateLimits';
import { TokenBucket } from './tokenBucket';

export type { PermitOutcome, RateLimitPermit, RateLimits } from './rateLimits';

interface Waiter {
  weight: number;
  resolve(permit: RateLimitPermit): void;
  reject(reason: unknown): void;
  detach(): void;
}

/**
 * Keeps one model's traffic just under the account's limits: a requests-per-minute bucket, a tokens-per-minute
 * bucket and a concurrency bound, with strict FIFO admission (a heavy request is not starved by light ones).
 *
 * The buckets start from the configured limits and are corrected by every answer's `x-ratelimit-*` headers
 * (limit, remaining, reset; see `bucketCorrection.ts`), allowing for answers to concurrent requests that the
 * server counted in another order. A 429 pauses admission for every caller
 * ({@link pauseFor}), not just the one that got it. Time comes from the injected {@link Clock}.
 *
 * With {@link SharedBuckets} (Redis), admission draws from the account's shared pair instead, so processes
 * and machines on one account stay under its limits together; headers and pauses go there too. The local
 * buckets keep following (own admissions, corrections, the shared limits), so when Redis is unreachable the
 * limiter carries on from the limits last learned. Concurrency and FIFO order stay per process.
 */
export class RateLimiter {
  private readonly requests: TokenBucket;
  private readonly tokens: TokenBucket;
  private readonly concurrency: number;
  private readonly headroomMs: number;
  private tokenLimitKnown: boolean;
  private serverReportsTokens = false;
  private readonly waiters: Waiter[] = [];
  private active = 0;
  private activeTokens = 0;
  private admittedRequests = 0;
  private admittedTokens = 0;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private requestsCorrection = 0;
  private tokensCorrection = 0;
  private pumping = false;
  private wakeUp: (() => void) | undefined;

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
    private readonly shared?: SharedBuckets,
  ) {
    const now = clock.now();
    const burst = (limits.burstSeconds ?? 1) / 60;
    this.requests = new TokenBucket(limits.requestsPerMinute, Math.max(1, limits.requestsPerMinute * burst), now);
    this.tokens = new TokenBucket(limits.tokensPerMinute, Math.max(1, limits.tokensPerMinute * burst), now);
    this.concurrency = Math.max(1, Math.floor(limits.concurrency));
    this.headroomMs = limits.headroomMs ?? 100;
    this.tokenLimitKnown = limits.tokenLimitKnown ?? false;
  }

  /** The tokens-per-minute limit currently believed (from options, then from headers). */
  get tokensPerMinute(): number {
    return this.tokens.perMinute;
  }

  /**
   * Waits for a slot and for both buckets to hold enough, in arrival order.
   *
   * @param weight tokens to reserve (estimated prompt tokens + max_tokens × n)
   * @throws RequestTooLargeError at once when `weight` exceeds a known tokens-per-minute limit
   * @throws `signal.reason` when the signal aborts while waiting; nothing stays reserved
   */
  acquire(weight: number, signal?: AbortSignal): Promise<RateLimitPermit> {
    if (this.tokenLimitKnown && weight > this.tokens.perMinute) {
      return Promise.reject(new RequestTooLargeError(weight, this.tokens.perMinute));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<RateLimitPermit>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
        this.schedule();
      };
      const waiter: Waiter = { weight, resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  /** Corrects the buckets from headers that belong to no permit (only downward corrections are safe then). */
  observe(snapshot: RateLimitSnapshot): void {
    this.applySnapshot(snapshot, undefined, false);
    void this.shared?.correct(this.localView(), snapshot, this.headroomMs);
    this.schedule();
  }

  /** Stops admitting anyone for `milliseconds` (a 429 is the account's problem, not one request's). */
  pauseFor(milliseconds: number): void {
    if (!(milliseconds > 0)) return;
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + milliseconds);
    void this.shared?.pause(this.localView(), milliseconds);
    this.schedule();
  }

  /** For tests, logs and the bench: the limiter's current view. */
  state(): {
    queued: number;
    active: number;
    requestsLevel: number;
    tokensLevel: number;
    requestsCapacity: number;
    tokensCapacity: number;
    pausedForMs: number;
  } {
    const now = this.clock.now();
    return {
      queued: this.waiters.length,
      active: this.active,
      requestsLevel: this.requests.level(now),
      tokensLevel: this.tokens.level(now),
      requestsCapacity: this.requests.capacity,
      tokensCapacity: this.tokens.capacity,
      pausedForMs: Math.max(0, this.pausedUntil - now),
    };
  }

  private applySnapshot(
    snapshot: RateLimitSnapshot,
    views: { requests: AdmissionView; tokens: AdmissionView } | undefined,
    rejected: boolean,
  ): void {
    const now = this.clock.now();
    if (snapshot.limitTokens !== undefined && snapshot.limitTokens > 0) this.tokenLimitKnown = true;
    if (snapshot.remainingTokens !== undefined) this.serverReportsTokens = true;
    this.requestsCorrection += correctBucket(
      this.requests,
      { limit: snapshot.limitRequests, remaining: snapshot.remainingRequests, resetMs: snapshot.resetRequestsMs },
      views && {
        ...views.requests,
        admittedSince: this.admittedRequests - views.requests.admittedTotalAfter,
        rejected,
      },
      this.requestsCorrection,
      this.requests.ratePerMs * this.headroomMs,
      now,
    );
    this.tokensCorrection += correctBucket(
      this.tokens,
      { limit: snapshot.limitTokens, remaining: snapshot.remainingTokens, resetMs: snapshot.resetTokensMs },
      views && { ...views.tokens, admittedSince: this.admittedTokens - views.tokens.admittedTotalAfter, rejected },
      this.tokensCorrection,
      this.tokens.ratePerMs * this.headroomMs,
      now,
    );
  }

  private schedule(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const head = this.waiters[0];
        if (!head) return;
        if (this.tokenLimitKnown && head.weight > this.tokens.perMinute) {
          this.waiters.shift();
          head.detach();
          head.reject(new RequestTooLargeError(head.weight, this.tokens.perMinute));
          continue;
        }
        if (this.active >= this.concurrency) {
          await this.waitForWake(undefined);
          continue;
        }
        let wait = this.pausedUntil - this.clock.now();
        let shared: SharedTake | undefined;
        if (wait <= 0 && this.shared?.usable) {
          shared = await this.shared.take(this.localView(), head.weight, this.headroomMs);
          if (this.waiters[0] !== head) {
            // The head left (aborted) while Redis answered: give back what was taken for it.
            if (shared?.waitMs === 0) void this.shared.adjust(this.localView(), 1, head.weight);
            continue;
          }
          if (shared) wait = this.adoptShared(shared);
        }
        const now = this.clock.now();
        if (!shared) {
          wait = Math.max(
            wait,
            this.requests.timeUntil(1, now, this.requests.ratePerMs * this.headroomMs),
            this.tokens.timeUntil(head.weight, now, this.tokens.ratePerMs * this.headroomMs),
          );
        }
        if (wait > 0) {
          await this.waitForWake(wait);
          continue;
        }
        this.waiters.shift();
        head.detach();
        head.resolve(this.admit(head.weight, now, shared !== undefined));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The limits this process believes, for the shared pair's creation and corrections. */
  private localView(): SharedLimitsView {
    const { requests, tokens } = this;
    return {
      requestsPerMinute: requests.perMinute,
      requestsCapacity: requests.capacity,
      tokensPerMinute: tokens.perMinute,
      tokensCapacity: tokens.capacity,
    };
  }

  /** Follows the shared pair's limits (so a fallback starts from them); returns the shared wait. */
  private adoptShared(shared: SharedTake): number {
    const now = this.clock.now();
    this.requests.setPerMinute(shared.limits.requestsPerMinute, now);
    this.requests.setCapacity(shared.limits.requestsCapacity, now);
    this.tokens.setPerMinute(shared.limits.tokensPerMinute, now);
    this.tokens.setCapacity(shared.limits.tokensCapacity, now);
    return shared.waitMs;
  }

  private admit(weight: number, now: number, viaShared: boolean): RateLimitPermit {
    this.requests.take(1, now);
    this.tokens.take(weight, now);
    const views = {
      requests: {
        levelAfter: this.requests.level(now),
        correctionAtAdmission: this.requestsCorrection,
        weight: 1,
        inFlightBefore: this.active,
        admittedTotalAfter: (this.admittedRequests += 1),
        admittedAt: now,
      },
      tokens: {
        levelAfter: this.tokens.level(now),
        correctionAtAdmission: this.tokensCorrection,
        weight,
        inFlightBefore: this.activeTokens,
        admittedTotalAfter: (this.admittedTokens += weight),
        admittedAt: now,
      },
    };
    this.active += 1;
    this.activeTokens += weight;
    let completed = false;
    return {
      weight,
      complete: (outcome = {}) => {
        if (completed) return;
        completed = true;
        this.active -= 1;
        this.activeTokens -= weight;
        if (outcome.snapshot) this.applySnapshot(outcome.snapshot, views, outcome.rejected ?? false);
        const current = this.clock.now();
        const shared = viaShared ? this.shared : undefined;
        if (outcome.rejected) {
          this.requests.adjust(1, current);
          this.tokens.adjust(weight, current);
          // A 429's own `remaining` leaves this request out, so correcting to it (below) is the refund.
          const { remainingRequests, remainingTokens } = outcome.snapshot ?? {};
          void shared?.adjust(
            this.localView(),
            remainingRequests === undefined ? 1 : 0,
            remainingTokens === undefined ? weight : 0,
          );
        }
        if (outcome.snapshot) void shared?.correct(this.localView(), outcome.snapshot, current - now + this.headroomMs);
        if (
          !outcome.rejected &&
          !this.serverReportsTokens &&
          outcome.usedTokens !== undefined &&
          outcome.usedTokens < weight
        ) {
          this.tokens.adjust(weight - outcome.usedTokens, current);
          void shared?.adjust(this.localView(), 0, weight - outcome.usedTokens);
        }
        this.schedule();
      },
    };
  }

  /** Sleeps until `milliseconds` pass (forever, if undefined) or something changes ({@link schedule}). */
  private waitForWake(milliseconds: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const controller = new AbortController();
      this.wakeUp = () => {
        controller.abort();
        resolve();
      };
      if (milliseconds === undefined) return;
      this.clock.sleep(milliseconds, controller.signal).then(
        () => {
          this.wakeUp = undefined;
          resolve();
        },
        () => resolve(),
      );
    });
  }
}
