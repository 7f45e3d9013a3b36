import type { TokenBucket } from './tokenBucket';

/** Below this much use (1 − remaining/limit) the reset header is too coarse to infer a burst from. */
const minimumUsedFraction = 0.05;

/**
 * The server's burst capacity implied by one answer's headers, or `undefined` when they cannot tell.
 *
 * OpenAI-style headers report `remaining` scaled to the per-minute `limit` (a full bucket says `limit`) and `reset`
 * as the time until the bucket is full again. With capacity C and refill `limit / 60 000` per ms, the level is
 * `remaining × C / limit` and `reset = (C − level) / rate`, so `C = reset × rate / (1 − remaining / limit)`.
 * A server with true per-minute buckets gives C = limit; one that enforces per second gives limit / 60.
 */
export function inferCapacity(limit: number, remaining: number, resetMs: number | undefined): number | undefined {
  if (resetMs === undefined || !(limit > 0)) return undefined;
  const usedFraction = 1 - remaining / limit;
  if (usedFraction < minimumUsedFraction) return undefined;
  const capacity = (resetMs * (limit / 60_000)) / usedFraction;
  return capacity > 0 ? Math.min(limit, capacity) : undefined;
}

/** What a bucket believed right after admitting a request, so a later answer can be compared with it. */
export interface AdmissionView {
  levelAfter: number;
  correctionAtAdmission: number;
  weight: number;
}

/**
 * Applies one answer's `limit` / `remaining` / `reset` to a bucket and returns the level correction applied
 * (the owner adds it to its running total of corrections).
 *
 * With an admission view, the server's level at that request's admission is compared with what we believed then,
 * plus every correction applied since (so a discrepancy already fixed by an earlier answer is not applied again).
 * A request the server rejected (429) was never taken there, so its weight is added back to the belief.
 * Without a view only a downward correction is safe.
 */
export function correctBucket(
  bucket: TokenBucket,
  reading: { limit?: number; remaining?: number; resetMs?: number },
  view: AdmissionView | undefined,
  totalCorrection: number,
  rejected: boolean,
  now: number,
): number {
  if (reading.limit !== undefined && reading.limit > 0) bucket.setPerMinute(reading.limit, now);
  if (reading.remaining === undefined) return 0;
  const limit = reading.limit ?? bucket.perMinute;
  const capacity = inferCapacity(limit, reading.remaining, reading.resetMs);
  if (capacity !== undefined && Math.abs(capacity - bucket.capacity) > bucket.capacity * 0.02) {
    bucket.setCapacity(capacity, now);
  }
  const serverLevel = (reading.remaining * bucket.capacity) / limit;
  const delta = view
    ? serverLevel - (view.levelAfter + (totalCorrection - view.correctionAtAdmission) + (rejected ? view.weight : 0))
    : Math.min(0, serverLevel - bucket.level(now));
  if (delta !== 0) bucket.adjust(delta, now);
  return delta;
}
