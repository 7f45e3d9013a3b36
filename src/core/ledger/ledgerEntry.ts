/** Token counts of one call, from the API's `usage` (reasoning tokens are part of completion tokens). */
export interface LedgerUsage {
  promptTokens: number;
  /** Prompt tokens served from the provider's prompt cache (billed at the cached rate). */
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

/** Where an answer came from: an HTTP call (`miss`, or `bypass` when the caller asked for a fresh answer) or a cache tier. */
export type LedgerCacheTier = 'miss' | 'memory' | 'disk' | 'redis' | 'inflight' | 'bypass';

/**
 * One line of the cost ledger (append-only JSONL): every call and every cache hit.
 *
 * Shared contract: the CLI, the cost report ("savings by cause") and other features read these. Add optional
 * fields only; a breaking change bumps `version`. Never holds prompt text or the API key.
 */
export interface LedgerEntry {
  version: 1;
  /** Unique (crypto.randomUUID()). */
  id: string;
  /** ISO 8601, when the call finished. */
  time: string;
  /** Prompt file (workspace-relative) or caller label. */
  source?: string;
  runId?: string;
  jobId?: string;
  /** `responses` for calls through the Responses API (`/v1/responses`). */
  endpoint: 'chat.completions' | 'responses' | 'embeddings';
  /** Model actually called. */
  model: string;
  /** The cache key (sha256 hex). */
  requestKey: string;
  usage: LedgerUsage;
  /** Actual money spent for this entry in USD (0 for cache hits; null when the price is unknown). */
  costUsd: number | null;
  /** For cache hits / deduped calls: what the avoided call would have cost (from the cached usage). */
  avoidedCostUsd?: number | null;
  /** E.g. "@pydantic/genai-prices 0.1.8 (2026-09-23)" or "override". */
  priceSource?: string;
  /** Priced at Batch API rates. */
  batchApi?: boolean;
  /** Served by a tier other than the standard one (the answer's `service_tier`): flex is billed at Batch API rates, priority at rates the price data does not have. */
  serviceTier?: 'flex' | 'priority';
  /** Milliseconds from the call's start (including queueing and retries) to its end. */
  latencyMs: number;
  cache: LedgerCacheTier;
  retries: number;
  /**
   * `truncated`: an answer was paid for but is not a success (`finish_reason` length or content_filter, or an
   * empty message without tool calls); it was not cached and is no evidence of a saving.
   */
  outcome: 'ok' | 'truncated' | 'error' | 'cancelled';
  /** For `truncated`: the API's `finish_reason` (`stop` when the message was empty). */
  finishReason?: string;
  error?: { status?: number; code?: string; message: string };
  /** Set by callers when the prompt's model was changed through a Prompt Meter recommendation. */
  modelChangedFrom?: string;
  /** Caller-specific facts (e.g. map-reduce estimates). */
  extra?: Record<string, unknown>;
}
