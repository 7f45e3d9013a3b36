import type { LabelledAnswers } from './labelledAnswers';
/** One scripted outcome for the next chat or embeddings request (consumed in order). */
export type ScriptedOutcome = '500' | '503' | '408' | '409' | 'reset' | 'slow' | 'malformed' | '429' | 'quota' | 'ok';

/**
 * Probabilities (0..1) of injected faults on chat and embeddings requests, drawn from the seeded PRNG once per
 * admitted request in this order; their sum should stay ≤ 1.
 */
export interface FaultProbabilities {
  /** 500 `server_error`. */
  readonly error500?: number;
  /** 503 `server_error` ("overloaded"). */
  readonly error503?: number;
  /** 408 request timeout. */
  readonly error408?: number;
  /** 409 conflict. */
  readonly error409?: number;
  /** The socket is destroyed before anything is written. */
  readonly connectionReset?: number;
  /** The answer is sent only after `slowMs`, so client timeouts fire. */
  readonly slow?: number;
  /** 200 with a truncated JSON body (or a truncated SSE chunk when streaming). */
  readonly malformedJson?: number;
}

/** Per-minute limits; an absent limit means unlimited. */
export interface RateLimits {
  readonly rpm?: number;
  readonly tpm?: number;
}

/**
 * Everything the test server can be told. Every field is plain JSON so the same object travels through
 * `POST /_control/config` and `main.ts --config`.
 */
export interface TestServerOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host: string;
  /** Port; 0 picks a free one. Default 0. */
  readonly port: number;
  /** When set, the bearer key must equal it; when undefined any non-empty key is accepted. */
  readonly apiKey: string | undefined;
  /**
   * `user:password` of a Basic-auth front (an nginx in front of a local model): when set, every API request must carry
   * `Authorization: Basic <base64 user:password>` instead of a bearer key (401 otherwise). Default undefined.
   */
  readonly basicAuth: string | undefined;
  /** Organization named in rate-limit messages. Default `org-test`. */
  readonly organization: string;
  /** Models the server knows; others get 404 `model_not_found`. */
  readonly models: readonly string[];
  /**
   * Known models this key's project may not use: 403 `model_not_found` "Project `proj_…` does not have access to
   * model `…`", as OpenAI answers (e.g. Aider-AI/aider#1903, continuedev/continue#10120). Default none.
   */
  readonly deniedModels: readonly string[];
  /** Context window in tokens per model; models not listed use `defaultContextWindow`. */
  readonly contextWindows: Readonly<Record<string, number>>;
  /** Default 128000 tokens. */
  readonly defaultContextWindow: number;
  /** Requests per minute for the whole server; undefined = unlimited. */
  readonly rpm: number | undefined;
  /** Tokens per minute for the whole server; undefined = unlimited. */
  readonly tpm: number | undefined;
  /** Models listed here get their own buckets; an absent field falls back to `rpm` / `tpm`. */
  readonly limitsByModel: Readonly<Record<string, RateLimits>>;
  /** Burst the buckets hold, in seconds of the per-minute rate. Default 1. */
  readonly burstSeconds: number;
  /** Send `retry-after-ms` on 429s. Default true. */
  readonly sendRetryAfterMs: boolean;
  /** Send `retry-after` (whole seconds, rounded up) on 429s. Default true. */
  readonly sendRetryAfter: boolean;
  /** Every chat/embeddings request gets 429 `insufficient_quota`. Default false. */
  readonly insufficientQuota: boolean;
  /** After this many successful chat/embeddings answers, answer 429 `insufficient_quota`. Default undefined. */
  readonly quotaAfterRequests: number | undefined;
  /** Base latency added to each admitted request, ms. Default 0. */
  readonly latencyMs: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs), ms. Default 0. */
  readonly latencyJitterMs: number;
  /** Seed of the PRNG behind faults, jitter and batch-line failures. Default 1. */
  readonly seed: number;
  /** Fault probabilities. Default: none. */
  readonly faults: FaultProbabilities;
  /** Delay before a `slow` answer, ms. Default 30000. */
  readonly slowMs: number;
  /** Outcomes consumed by the next chat/embeddings requests before any probabilistic fault. Default []. */
  readonly script: readonly ScriptedOutcome[];
  /** Pause between SSE chunks, ms. Default 2. */
  readonly streamChunkDelayMs: number;
  /** Length of a natural (untruncated) answer, tokens per choice. Default 60. */
  readonly answerTokens: number;
  /**
   * A model asked for a short answer gives one: with an output cap, the natural answer is at most half the cap (a
   * one-label classifier capped at 10 answers in 5 tokens, as a real model answering "billing" would, not 60 cut
   * off). Hidden reasoning still comes out of the cap first, so a cap used up by reasoning still ends empty with
   * "length". false: always `answerTokens`, so small caps cut visible answers too. Default true.
   */
  readonly answerWithinCap: boolean;
  /** Embedding dimensions when the request has no `dimensions`. Default 256. */
  readonly embeddingDimensions: number;
  /** Simulated time from `validating` to `completed`, ms. Default 300. */
  readonly batchDurationMs: number;
  /** Batch lines with these custom_ids fail (500 in the error file). Default []. */
  readonly batchFailCustomIds: readonly string[];
  /** Fraction of batch lines that fail, drawn from the seeded PRNG. Default 0. */
  readonly batchFailFraction: number;
  /** When set, a batch expires after this many lines are done; the rest go to the error file as expired. */
  readonly batchExpireAfterLines: number | undefined;
  /** Minimum shared prefix for prompt caching, tokens. Default 1024. */
  readonly promptCacheMinTokens: number;
  /** Model-dependent answers to a labelled classification set (labelledAnswers.ts). Default: off. */
  readonly labelledAnswers?: LabelledAnswers;
}

/** A realistic model list: chat, reasoning and embedding models. */
export const DEFAULT_MODELS: readonly string[] = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4.1-nano',
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-6-luna',
  'gpt-6-sol',
  'gpt-6-astra',
  'o3',
  'o4-mini',
  'o3-pro',
  'gpt-5.1',
  'gpt-5.4-nano',
  // gpt-5.6 rules are in modelRules.ts; listed so the family answers instead of 404 (a comparison candidate for small tasks).
  'gpt-5.6-luna',
  'gpt-5.6-terra',
  'gpt-5.6-sol',
  'gpt-4',
  'gpt-3.5-turbo',
  'text-embedding-3-small',
  'text-embedding-3-large',
];

/** Defaults: no limits, no faults, no latency. */
export const DEFAULT_OPTIONS: TestServerOptions = {
  host: '127.0.0.1',
  port: 0,
  apiKey: undefined,
  basicAuth: undefined,
  organization: 'org-test',
  models: DEFAULT_MODELS,
  deniedModels: [],
  contextWindows: {},
  defaultContextWindow: 128_000,
  rpm: undefined,
  tpm: undefined,
  limitsByModel: {},
  burstSeconds: 1,
  sendRetryAfterMs: true,
  sendRetryAfter: true,
  insufficientQuota: false,
  quotaAfterRequests: undefined,
  latencyMs: 0,
  latencyJitterMs: 0,
  seed: 1,
  faults: {},
  slowMs: 30_000,
  script: [],
  streamChunkDelayMs: 2,
  answerTokens: 60,
  answerWithinCap: true,
  embeddingDimensions: 256,
  batchDurationMs: 300,
  batchFailCustomIds: [],
  batchFailFraction: 0,
  batchExpireAfterLines: undefined,
  promptCacheMinTokens: 1024,
};

/** Fields that `reset()` restores to the values the server was started with. */
export const FAULT_OPTION_KEYS = ['faults', 'script', 'insufficientQuota', 'quotaAfterRequests', 'seed'] as const;

/**
 * Shallow merge: nested objects (`faults`, `limitsByModel`, …) are replaced whole, not merged. A key present with
 * `undefined` (or `null`, from JSON) restores the default, e.g. `{ rpm: undefined }` makes requests unlimited again.
 */
export function mergeOptions(base: TestServerOptions, partial: Partial<TestServerOptions>): TestServerOptions {
  const defaults: Readonly<Record<string, unknown>> = { ...DEFAULT_OPTIONS };
  const normalized = Object.fromEntries(Object.entries(partial).map(([key, value]) => [key, value ?? defaults[key]]));
  return { ...base, ...normalized };
}
