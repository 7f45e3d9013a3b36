import type { ResponseCache } from '../cache/responseCache';
import type { SharedInflight } from '../cache/sharedInflight';
import type { ClientCounters } from './clientCounters';
import type { Clock } from './clock';
import type { PromptMeterError } from './errors';
import type { LedgerRecorder } from './ledgerRecorder';
import type { OpenAiTransport } from './openAiTransport';
import type { EstimatePromptTokens } from './promptTokenEstimate';
import type { RateLimiter } from './rateLimiter';
import type { RetryPolicy } from './retryPolicy';

/** What the chat and embeddings paths share; built and owned by `PromptMeterClient`. */
export interface ClientContext {
  readonly transport: OpenAiTransport;
  readonly cache: ResponseCache | undefined;
  /** Identical calls in flight in other processes (Redis leases or disk locks); absent without a shared cache. */
  readonly sharedInflight: SharedInflight | undefined;
  /** Which backend answers; part of every cache key (see `cacheNamespaceForBaseUrl`). */
  readonly namespace: string;
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  readonly counters: ClientCounters;
  readonly recorder: LedgerRecorder;
  readonly estimatePromptTokens: EstimatePromptTokens;
  /** Completion tokens reserved when a chat request sets no max_tokens. */
  readonly assumedCompletionTokens: number;
  readonly timeoutMs: number;
  /** Only for redacting it from error text. */
  readonly apiKey: string;
  /** For messages that name the server; shown only through `displayBaseUrl` (no credentials). */
  readonly baseUrl?: string;
  limiterFor(model: string): RateLimiter;
  /** Aborts (with the stopping error as reason) when the run is stopped. */
  runSignal(): AbortSignal;
  stopRun(error: PromptMeterError): void;
}

/** The caller's signal and the run's, as one. */
export function callSignal(context: ClientContext, signal: AbortSignal | undefined): AbortSignal {
  return signal ? AbortSignal.any([signal, context.runSignal()]) : context.runSignal();
}
