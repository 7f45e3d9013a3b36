/**
 * Running totals of one client, for progress displays and the bench. Counts only ever grow.
 */
export interface ClientCounters {
  /** HTTP calls made (every attempt, retries included). */
  requests: number;
  /** Answers served without an HTTP call of their own: cache tiers, joined in-flight calls, cached embeddings inputs. */
  cacheHits: number;
  /** Retries made (attempts after the first). */
  retries: number;
  /** 429 answers seen (rate limits and quota). */
  rateLimited: number;
  /** Calls that ended in an error (cancellations excluded). */
  failed: number;
}

/** A fresh set of zero counters. */
export function emptyCounters(): ClientCounters {
  return { requests: 0, cacheHits: 0, retries: 0, rateLimited: 0, failed: 0 };
}
