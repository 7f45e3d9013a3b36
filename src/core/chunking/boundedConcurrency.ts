/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight and returns the results in item
 * order (whatever order they finish in). On the first failure no new item starts, the signal handed to the
 * workers is aborted so calls in flight can stop, and — once the started calls have settled, so nothing runs
 * after this returns — that first failure is thrown. Aborting `signal` stops the same way and throws its
 * reason (unless a worker had already failed on its own).
 */
export async function runBounded<Item, Result>(
  items: readonly Item[],
  concurrency: number,
  signal: AbortSignal | undefined,
  worker: (item: Item, index: number, signal: AbortSignal) => Promise<Result>,
): Promise<Result[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  signal?.throwIfAborted();
  const stop = new AbortController();
  const workerSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const results = new Array<Result>(items.length);
  const state: { next: number; failure?: { error: unknown; afterAbort: boolean } } = { next: 0 };
  const lane = async (): Promise<void> => {
    while (state.failure === undefined && !workerSignal.aborted && state.next < items.length) {
      const index = state.next++;
      try {
        results[index] = await worker(items[index]!, index, workerSignal);
      } catch (error) {
        if (state.failure === undefined) {
          state.failure = { error, afterAbort: signal?.aborted ?? false };
          stop.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (state.failure && !state.failure.afterAbort) throw state.failure.error;
  signal?.throwIfAborted();
  if (state.failure) throw state.failure.error;
  return results;
}
