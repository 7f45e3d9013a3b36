import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { cacheNamespaceForBaseUrl } from '../cache/cacheNamespace';
import { requestKey } from '../cache/requestKey';
import type { CacheLogger } from '../cache/cacheLogger';
import type { CacheTier } from '../cache/cacheTier';
import { DiskLockStore } from '../cache/diskLock';
import { DiskTier } from '../cache/diskTier';
import { MemoryTier } from '../cache/memoryTier';
import { RedisConnection } from '../cache/redisConnection';
import { RedisLeaseStore } from '../cache/requestLease';
import { RedisTier } from '../cache/redisTier';
import { SharedInflight } from '../cache/sharedInflight';
import { ResponseCache } from '../cache/responseCache';
import type { LedgerWriter } from '../ledger/ledger';
import type { CallOptions } from './callOptions';
import type { CallResult } from './callResult';
import type { ChatApi } from './chatApi';
import { parseCachedChat } from './cachedAnswer';
import { ChatCall } from './chatCall';
import type { ChatOptions } from './chatCall';
import { emptyCounters } from './clientCounters';
import type { ClientCounters } from './clientCounters';
import type { ClientContext } from './clientContext';
import { createSystemClock } from './clock';
import type { Clock } from './clock';
import { EmbeddingCall } from './embeddingCall';
import type { EmbedResult } from './embeddingCall';
import type { PromptMeterError } from './errors';
import { LedgerRecorder } from './ledgerRecorder';
import { OpenAiTransport } from './openAiTransport';
import type { TransportOptions } from './openAiTransport';
import type { PriceUsage } from './priceUsage';
import { estimatePromptTokensByCharacters } from './promptTokenEstimate';
import type { EstimatePromptTokens } from './promptTokenEstimate';
import { RateLimiter } from './rateLimiter';
import type { RateLimits } from './rateLimiter';
import { RetryPolicy } from './retryPolicy';
import type { RetryPolicyOptions } from './retryPolicy';
import { SharedBuckets, accountId } from './sharedBuckets';

/** Cache tiers to use. Memory is always on (unless the cache is disabled); disk and Redis when configured. */
export interface ClientCacheOptions {
  /** Memory tier bound in bytes. Default 64 MiB. */
  memoryBytes?: number;
  /** Directory of the disk tier (cacache); no disk tier when absent. */
  directory?: string;
  /** `redis://…` of a shared tier; no Redis tier when absent. */
  redisUrl?: string;
  redisKeyPrefix?: string;
  redisTtlSeconds?: number;
  /** Overrides the backend part of every key (default: the base URL without credentials, query or fragment). */
  namespace?: string;
}

/** Everything the client is built from. Only `apiKey` and `priceUsage` are required. */
export interface PromptMeterClientOptions extends Omit<TransportOptions, 'baseUrl'> {
  /** Default `https://api.openai.com/v1`. */
  baseUrl?: string;
  /** Starting limits: `default` for every model, `models[name]` on top of it. Headers correct them as answers come. */
  limits?: { default?: Partial<RateLimits>; models?: Record<string, Partial<RateLimits>> };
  retry?: Omit<RetryPolicyOptions, 'random'>;
  /** Per-attempt limit on the whole HTTP exchange (streams included), ms. Default 600 000 (the SDK's). */
  timeoutMs?: number;
  /** `false` turns caching (and so in-flight sharing across time) off; identical calls in flight are still shared. */
  cache?: ClientCacheOptions | false;
  ledger?: LedgerWriter;
  priceUsage: PriceUsage;
  /** Default: characters / 4. */
  estimatePromptTokens?: EstimatePromptTokens;
  /** Completion tokens reserved for a chat request without max_tokens. Default 1 024. */
  assumedCompletionTokens?: number;
  clock?: Clock;
  /** Uniform [0, 1) for backoff jitter. Default: crypto-backed. */
  random?: () => number;
  /** Warnings (Redis down, disk cache corrupt, ledger unwritable). Default: none. */
  logger?: CacheLogger;
  /** `redis://…` for shared rate limits even when the cache is off. Default: `cache.redisUrl`. */
  redisUrl?: string;
  /**
   * Keep the rate limits in Redis, shared by every process and machine on the same account (base URL + key,
   * hashed) and model. Default true whenever a Redis URL is configured; false keeps them per process.
   */
  sharedRateLimits?: boolean;
  /** How long another process waits for this one's identical call before a crash counts, ms. Default 10 000. */
  inflightLeaseMs?: number;
  /**
   * Without Redis, share identical calls in flight with other processes on the disk cache through lock files
   * beside it (`<directory>/locks`). Default false here; `createPromptMeterClient` (CLI, extension) turns it on.
   */
  diskLocks?: boolean;
}

/** Limits assumed before configuration or headers say otherwise (a low usage tier, so a new account is safe). */
const fallbackLimits: RateLimits = { requestsPerMinute: 500, tokensPerMinute: 30_000, concurrency: 8 };

/**
 * The one client every Prompt Meter call goes through: throttled just under the account's limits (per model),
 * retried only when a retry can succeed, cached in memory → disk → Redis so no answer is paid twice, identical
 * calls in flight shared, and every call and cache hit written to the cost ledger.
 *
 * The API key is held by the SDK instance; it never reaches cache keys, ledger entries, errors or logs.
 * Call {@link close} when done (it closes the Redis connection, which would otherwise keep the process alive).
 */
export class PromptMeterClient {
  private readonly context: ClientContext;
  private readonly counterValues: ClientCounters = emptyCounters();
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly cache: ResponseCache | undefined;
  private readonly chatCall: ChatCall;
  private readonly embeddingCall: EmbeddingCall;
  private runController = PromptMeterClient.createRunController();
  /** One connection for the Redis tier, shared limits and leases; absent without a Redis URL. */
  private readonly redis: RedisConnection | undefined;
  private readonly redisKeyPrefix: string;
  private readonly account: string;

  constructor(private readonly options: PromptMeterClientOptions) {
    const clock = options.clock ?? createSystemClock();
    const logger = options.logger ?? { warn: () => undefined };
    const baseUrl = options.baseUrl ?? 'https://api.openai.com/v1';
    const cacheOptions = options.cache === false ? undefined : (options.cache ?? {});
    const redisUrl = options.redisUrl ?? cacheOptions?.redisUrl;
    this.redis = redisUrl ? new RedisConnection({ url: redisUrl, logger }) : undefined;
    this.redisKeyPrefix = cacheOptions?.redisKeyPrefix ?? 'promptmeter:v1:';
    this.account = accountId(baseUrl, options.apiKey);
    this.cache = cacheOptions && new ResponseCache(createTiers(cacheOptions, logger, this.redis));
    const leaseMs = options.inflightLeaseMs ?? 10_000;
    const leases =
      cacheOptions?.redisUrl && this.redis
        ? new RedisLeaseStore(this.redis, this.redisKeyPrefix, leaseMs)
        : cacheOptions?.directory && options.diskLocks
          ? new DiskLockStore(cacheOptions.directory, leaseMs, logger)
          : undefined;
    this.context = {
      transport: new OpenAiTransport({
        apiKey: options.apiKey,
        baseUrl,
        ...(options.apiKeyHeader ? { apiKeyHeader: options.apiKeyHeader } : {}),
      }),
      cache: this.cache,
      sharedInflight: leases && new SharedInflight(leases, clock),
      namespace: cacheOptions?.namespace ?? cacheNamespaceForBaseUrl(baseUrl),
      clock,
      policy: new RetryPolicy({ ...options.retry, random: options.random ?? (() => randomInt(0, 2 ** 47) / 2 ** 47) }),
      counters: this.counterValues,
      recorder: new LedgerRecorder(options.ledger, options.priceUsage, clock, logger),
      estimatePromptTokens: options.estimatePromptTokens ?? estimatePromptTokensByCharacters,
      assumedCompletionTokens: options.assumedCompletionTokens ?? 1_024,
      timeoutMs: options.timeoutMs ?? 600_000,
      apiKey: options.apiKey,
      baseUrl,
      limiterFor: (model) => this.limiterFor(model),
      runSignal: () => this.runController.signal,
      stopRun: (error) => this.stopRun(error),
    };
    this.chatCall = new ChatCall(this.context);
    this.embeddingCall = new EmbeddingCall(this.context);
  }

  /**
   * One chat completion, streamed when `request.stream` is true (the result is still the assembled
   * `ChatCompletion`; `options.onDelta` sees the text as it arrives).
   * @throws PromptMeterError (or a subclass such as InsufficientQuotaError) with a user-facing message and action
   */
  chat(request: ChatCompletionCreateParams, options: ChatOptions = {}): Promise<CallResult<ChatCompletion>> {
    return this.chatCall.run(request, options);
  }

  /** Embeddings with a per-input cache: only the inputs not cached are sent, in one request. */
  embed(request: EmbeddingCreateParams, options: CallOptions = {}): Promise<EmbedResult> {
    return this.embeddingCall.run(request, options);
  }

  /**
   * Whether a chat request's answer is already in a cache tier (for "cost after known cache hits" before a
   * run). A lookup only: no ledger entry, no counters, no HTTP.
   */
  async hasCachedAnswer(request: ChatCompletionCreateParams, api: ChatApi = 'chat'): Promise<boolean> {
    if (!this.cache) return false;
    const endpoint = api === 'responses' ? 'responses' : 'chat.completions';
    // The same key and parser as the call itself (every tier: memory, disk, Redis), so a plan's "cached" is a hit.
    const tier = await this.cache.peek(requestKey(endpoint, request, this.context.namespace), parseCachedChat);
    return tier !== undefined;
  }

  /** A snapshot of the running totals. */
  counters(): ClientCounters {
    return { ...this.counterValues };
  }

  /** The error that stopped the run (out of quota, key rejected, …), if any; every call rejects with it until {@link resume}. */
  get stopReason(): PromptMeterError | undefined {
    return this.runController.signal.aborted ? (this.runController.signal.reason as PromptMeterError) : undefined;
  }

  /** Aborts when the run stops; callers can tie their own work (progress UI, batch loops) to it. */
  get stopSignal(): AbortSignal {
    return this.runController.signal;
  }

  /** Lets calls through again after the user fixed the cause (e.g. added credit). */
  resume(): void {
    if (this.runController.signal.aborted) this.runController = PromptMeterClient.createRunController();
  }

  /** The limiter of one model (created from the options on first use), for progress displays and tests. */
  limiterFor(model: string): RateLimiter {
    let limiter = this.limiters.get(model);
    if (!limiter) {
      const configured = { ...this.options.limits?.default, ...this.options.limits?.models?.[model] };
      const tokenLimitKnown = configured.tokenLimitKnown ?? configured.tokensPerMinute !== undefined;
      const clock = this.context.clock;
      const shared =
        this.redis && this.options.sharedRateLimits !== false
          ? new SharedBuckets(this.redis, `${this.redisKeyPrefix}limits:${this.account}:${model}`, () => clock.now())
          : undefined;
      limiter = new RateLimiter({ ...fallbackLimits, ...configured, tokenLimitKnown }, clock, shared);
      this.limiters.set(model, limiter);
    }
    return limiter;
  }

  /** Closes the cache tiers (the Redis connection). The client must not be used afterwards. */
  async close(): Promise<void> {
    await this.cache?.close();
    await this.redis?.close();
  }

  /** Every queued and running call listens on the run signal, so the default limit of 10 listeners is too low. */
  private static createRunController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  private stopRun(error: PromptMeterError): void {
    if (!this.runController.signal.aborted) this.runController.abort(error);
  }
}

function createTiers(
  options: ClientCacheOptions,
  logger: CacheLogger,
  shared: RedisConnection | undefined,
): CacheTier[] {
  const tiers: CacheTier[] = [new MemoryTier(options.memoryBytes)];
  if (options.directory) tiers.push(new DiskTier(options.directory, logger));
  if (options.redisUrl) {
    tiers.push(
      new RedisTier({
        ...(shared ? { connection: shared } : { url: options.redisUrl, logger }),
        ...(options.redisKeyPrefix === undefined ? {} : { keyPrefix: options.redisKeyPrefix }),
        ...(options.redisTtlSeconds === undefined ? {} : { ttlSeconds: options.redisTtlSeconds }),
      }),
    );
  }
  return tiers;
}
