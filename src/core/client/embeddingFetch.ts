import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { requestKey } from '../cache/requestKey';
import type { LedgerUsage } from '../ledger/ledgerEntry';
import type { CachedEmbedding } from './cachedAnswer';
import type { CallOptions } from './callOptions';
import type { ClientContext } from './clientContext';
import { PromptMeterError } from './errors';
import { runThrottledCall } from './throttledCall';
import type { CallProgress } from './throttledCall';
import { emptyUsage } from './usage';

/** The vectors fetched for the inputs that were not cached, keyed by each input's cache key. */
export interface FetchedEmbeddings {
  entries: Map<string, CachedEmbedding>;
  usage: LedgerUsage;
  /** The model the server says answered. */
  model: string;
  source: 'miss' | 'bypass';
  retries: number;
  costUsd: number | null;
}

/**
 * Sends the missing inputs in one throttled, retried request, stores each vector under its own key, and records
 * the HTTP call in the ledger. The batch's prompt tokens are shared among the inputs in proportion to their
 * estimated size, so a later cache hit on one input can say what it avoided.
 */
export async function fetchMissingEmbeddings(
  context: ClientContext,
  base: EmbeddingCreateParams,
  missing: Map<string, string | number[]>,
  batchKey: string,
  options: CallOptions,
  signal: AbortSignal,
  started: number,
): Promise<FetchedEmbeddings> {
  const keys = [...missing.keys()];
  const inputs = [...missing.values()];
  const request = { ...base, input: inputs as string[] | number[][] };
  const source = options.fresh ? ('bypass' as const) : ('miss' as const);
  const progress: CallProgress = { retries: 0, attempts: 0 };
  const facts = {
    endpoint: 'embeddings' as const,
    model: base.model,
    requestKey: keys.length === 1 ? (keys[0] ?? batchKey) : requestKey('embeddings', request, context.namespace),
    cache: source,
    options: { ...options, extra: { ...options.extra, embeddingInputs: inputs.length } },
  };
  try {
    const response = await runThrottledCall(
      {
        limiter: context.limiterFor(base.model),
        weight: context.estimatePromptTokens(request),
        policy: context.policy,
        clock: context.clock,
        signal,
        timeoutMs: options.timeoutMs ?? context.timeoutMs,
        apiKey: context.apiKey,
        baseUrl: context.baseUrl,
        counters: context.counters,
        onStopRun: (error) => context.stopRun(error),
        send: async (attemptSignal) => {
          const answer = await context.transport.embeddings(
            request,
            attemptSignal,
            options.timeoutMs ?? context.timeoutMs,
          );
          if (answer.value.data.length !== inputs.length) {
            throw new PromptMeterError({
              reason: 'malformedResponse',
              message: `The server sent ${answer.value.data.length} embeddings for ${inputs.length} inputs.`,
            });
          }
          return { ...answer, usedTokens: answer.value.usage?.prompt_tokens ?? 0 };
        },
      },
      progress,
    );
    const totalTokens = response.usage?.prompt_tokens ?? 0;
    const estimates = inputs.map((input) => context.estimatePromptTokens({ model: base.model, input }));
    const estimatedTotal = estimates.reduce((sum, value) => sum + value, 0) || 1;
    const storedAt = new Date(context.clock.wallClockMs()).toISOString();
    const entries = new Map<string, CachedEmbedding>();
    for (const item of response.data) {
      const key = keys[item.index];
      if (key === undefined) continue;
      const share = Math.round((totalTokens * (estimates[item.index] ?? 0)) / estimatedTotal);
      const embedding = item.embedding;
      entries.set(key, {
        version: 1,
        endpoint: 'embeddings',
        model: base.model,
        embedding,
        promptTokens: share,
        storedAt,
      });
    }
    if (entries.size !== keys.length) {
      throw new PromptMeterError({
        reason: 'malformedResponse',
        message: 'The embeddings answer has gaps in its indexes.',
      });
    }
    await Promise.all([...entries].map(([key, entry]) => context.cache?.set(key, JSON.stringify(entry))));
    const usage = { ...emptyUsage(), promptTokens: totalTokens };
    const latencyMs = context.clock.now() - started;
    const retries = progress.retries;
    const cost = await context.recorder.record({
      ...facts,
      usage,
      retries,
      latencyMs,
      outcome: 'ok',
      reachedNetwork: true,
    });
    return { entries, usage, model: response.model ?? base.model, source, retries, costUsd: cost.costUsd };
  } catch (error) {
    const failure =
      error instanceof PromptMeterError ? error : new PromptMeterError({ reason: 'unknown', message: String(error) });
    const cancelled = failure.reason === 'cancelled';
    if (!cancelled) context.counters.failed += 1;
    await context.recorder.record({
      ...facts,
      usage: emptyUsage(),
      retries: progress.retries,
      latencyMs: context.clock.now() - started,
      outcome: cancelled ? 'cancelled' : 'error',
      ...(cancelled ? {} : { error: failure }),
      reachedNetwork: progress.attempts > 0,
    });
    throw failure;
  }
}
