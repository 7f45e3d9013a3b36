import type { LedgerWriter } from '../ledger/ledger';

/** Per-call options shared by `chat` and `embed`. */
export interface CallOptions {
  /** Cancels the call (queued, in flight, or between retries). */
  signal?: AbortSignal;
  /** Skip reading the cache and refresh it with a new answer (result marked `bypass`). */
  fresh?: boolean;
  /** Prompt file (workspace-relative) or caller label, for the ledger. */
  source?: string;
  runId?: string;
  jobId?: string;
  /** Overrides the client's per-attempt timeout, ms. */
  timeoutMs?: number;
  /** Ledger: the prompt's original model when a Prompt Meter recommendation changed it. */
  modelChangedFrom?: string;
  /** Ledger: caller-specific facts. */
  extra?: Record<string, unknown>;
  /**
   * The ledger this call is written to instead of the client's: a run's own workspace folder (multi-root), so one
   * client (one pair of rate-limit buckets for the account) serves runs in every folder.
   */
  ledger?: LedgerWriter;
}
