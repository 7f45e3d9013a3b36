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
  /** Weight admitted earlier and still in flight: the server may not have counted it yet. */
  inFlightBefore: number;
  /** Running total of admitted weight right after this admission. */
  admittedTotalAfter: number;
  /** When the request was admitted (the limiter's clock). */
  admittedAt: number;
}

/**
 * Applies one answer's `limit` / `remaining` / `reset` to a bucket and returns the level change applied
 * (the owner adds it to its running total of corrections).
 *
 * With an admission view, the server's level at that request's admission is compared with what we believed then,
 * plus every correction applied since (so a discrepancy already fixed by an earlier answer is not applied again).
 * Concurrent requests can reach the server in another order than we admitted them, so the server may have counted
 * up to `admittedSince` more, or `inFlightBefore` plus the refill since admission (plus `slack`) less, than we
 * believed: only a reading outside that band is evidence (another client on the account, a biased estimate), and
 * the level moves to the band's nearest edge. A request the server rejected (429) was never taken there, so its
 * weight is added back to the belief. Without a view only a downward correction is safe.
 */
export function correctBucket(
  bucket: TokenBucket,
  reading: { limit?: number; remaining?: number; resetMs?: number },
  view: (AdmissionView & { admittedSince: number; rejected: boolean }) | undefined,
  totalCorrection: number,
  slack: number,
  now: number,
): number {
  // A new limit or burst clamps the level; that change counts as a correction too, so beliefs recorded under
  // the old scale are compared fairly.
  const levelBefore = bucket.level(now);
  if (reading.limit !== undefined && reading.limit > 0) bucket.setPerMinute(reading.limit, now);
  const limit = reading.limit ?? bucket.perMinute;
  const capacity =
    reading.remaining === undefined ? undefined : inferCapacity(limit, reading.remaining, reading.resetMs);
  if (capacity !== undefined && Math.abs(capacity - bucket.capacity) > bucket.capacity * 0.02) {
    bucket.setCapacity(capacity, now);
  }
  const rescaled = bucket.level(now) - levelBefore;
  if (reading.remaining === undefined) return rescaled;
  const serverLevel = (reading.remaining * bucket.capacity) / limit;
  let delta: number;
  if (view) {
    const believed =
      view.levelAfter + (totalCorrection + rescaled - view.correctionAtAdmission) + (view.rejected ? view.weight : 0);
    const low = believed - view.admittedSince;
    // The server computes its headers some time between admitting the request and sending the answer (OpenAI does
    // not say when, and a non-streamed answer arrives a whole latency later), so it may have refilled for as long
    // as the request has been out: that refill is not evidence of a wrong belief.
    const refillSinceAdmission = bucket.ratePerMs * Math.max(0, now - view.admittedAt);
    const high = believed + view.inFlightBefore + refillSinceAdmission + slack;
    delta = serverLevel < low ? serverLevel - low : serverLevel > high ? serverLevel - high : 0;
  } else {
    delta = Math.min(0, serverLevel - bucket.level(now));
  }
  if (delta !== 0) bucket.adjust(delta, now);
  return rescaled + delta;
}
