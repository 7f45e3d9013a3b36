import type { Clock } from './clock';
import { PromptMeterError } from './errors';
import type { RetryPolicy } from './retryPolicy';

/** How one call is retried. */
export interface RetryRunOptions {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal;
  /** Called before each backoff sleep: the failure, the retry number (1-based) and the wait in ms. */
  onRetry?: (error: PromptMeterError, retryNumber: number, delayMs: number) => void;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or retries run out, with p-retry as the one owner of the
 * loop (the SDK's own retries are off). p-retry's built-in timer is disabled (`minTimeout: 0`); the backoff
 * sleep happens in `shouldRetry` through the injected clock, so tests never wait for real time and the wait
 * honours `retry-after` (which p-retry alone cannot).
 *
 * `attempt` must throw {@link PromptMeterError}s; anything else is treated as fatal.
 */
export async function runWithRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryRunOptions,
): Promise<T> {
  // p-retry is ESM-only; a dynamic import keeps the CommonJS bundles and `tsc` (module Node16) happy.
  const { default: pRetry } = await import('p-retry');
  return pRetry(attempt, {
    retries: options.policy.retries,
    minTimeout: 0,
    factor: 1,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!(error instanceof PromptMeterError)) return false;
      if (options.policy.decide(error, retriesConsumed) !== 'retry') return false;
      const retryNumber = retriesConsumed + 1;
      const delay = options.policy.delayMs(retryNumber, error);
      options.onRetry?.(error, retryNumber, delay);
      await options.clock.sleep(delay, options.signal);
      return true;
    },
  });
}
