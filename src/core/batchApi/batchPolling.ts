import type { Clock } from '../client/clock';
import { PromptMeterError } from '../client/errors';
import type { BatchApiClient } from './batchApiClient';
import type { BatchPartState } from './batchState';
import { updatePart } from './batchSubmit';

/**
 * The wait before the next poll: 1.5 × the last one, capped. A batch takes minutes to hours, so polls start
 * quick (small batches finish fast) and thin out to one a minute, a few hundred calls over a 24 h window.
 */
export function nextPollDelay(previousMs: number, maxMs: number): number {
  return Math.min(maxMs, Math.max(1, previousMs) * 1.5);
}

/** How a cancel waits. */
export interface CancelOptions {
  readonly client: BatchApiClient;
  readonly clock: Clock;
  /** Give up waiting for `cancelled` after this long, ms; the batch id stays recorded for a resume. */
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  /** After each status change; collects a part once it is finished (setting `collected`). */
  readonly onUpdate: (part: BatchPartState) => Promise<void>;
}

/**
 * Cancels batches (`POST /v1/batches/{id}/cancel`) and polls them until each is finished and collected:
 * `cancelled` with whatever ran, or `completed` when it was already finalizing (the API refuses to cancel then).
 * Runs after the caller's signal aborted, so its own calls take no signal. Resolves false when `waitMs` passed
 * first.
 */
export async function cancelParts(parts: readonly BatchPartState[], options: CancelOptions): Promise<boolean> {
  const { client, clock } = options;
  for (const part of parts) {
    if (!part.batchId || (part.status !== 'validating' && part.status !== 'in_progress')) continue;
    try {
      updatePart(part, await client.cancelBatch(part.batchId));
    } catch (error) {
      // 400: no longer cancellable (finalizing or finished meanwhile); the polls below see where it went.
      if (!(error instanceof PromptMeterError) || error.status !== 400) throw error;
    }
  }
  const deadline = clock.now() + options.waitMs;
  let delay = options.pollIntervalMs;
  for (;;) {
    for (const part of parts) {
      if (part.collected || !part.batchId) continue;
      updatePart(part, await client.retrieveBatch(part.batchId));
      await options.onUpdate(part);
    }
    if (parts.every((part) => part.collected || !part.batchId)) return true;
    if (clock.now() + delay > deadline) return false;
    await clock.sleep(delay);
    delay = nextPollDelay(delay, options.maxPollIntervalMs);
  }
}
