import type { LedgerCacheTier, LedgerUsage } from '../ledger/ledgerEntry';

/** What `chat` and `embed` return besides the API's own response. */
export interface CallResult<T> {
  /** The API's response (a streamed chat answer is assembled into a `ChatCompletion`). */
  response: T;
  /** Where the answer came from: `miss` / `bypass` (HTTP call), a cache tier, or `inflight` (joined an identical call). */
  cache: LedgerCacheTier;
  retries: number;
  /** From the call's start (queueing included) to its end, ms. */
  latencyMs: number;
  /** Tokens of the answer (for a hit: of the original call). */
  usage: LedgerUsage;
  /** Money this call spent in USD: 0 for hits, null when the price is unknown. */
  costUsd: number | null;
  /** For hits: what the avoided call would have cost. */
  avoidedCostUsd?: number | null;
  /** The cache key (sha256 hex). */
  requestKey: string;
  /**
   * Set when the answer is not a success: `finish_reason` length / content_filter, or an empty message without
   * tool calls (see `answerOutcome`). It was paid for, is not cached, and counts as no saving.
   */
  truncated?: { finishReason: string; empty: boolean };
}

/** A streamed piece of answer text, for `onDelta`. */
export interface ChatDelta {
  choiceIndex: number;
  content: string;
  /**
   * 1-based attempt that produced it. When it grows, the earlier deltas of that call are void (the stream broke
   * and was retried). 0 for an answer replayed in one piece from the cache or from a shared in-flight call.
   */
  attempt: number;
}
