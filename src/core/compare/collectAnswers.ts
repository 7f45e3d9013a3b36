import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { runBounded } from '../chunking/boundedConcurrency';
import type { PromptMeterClient } from '../client/promptMeterClient';
import type { LedgerWriter } from '../ledger/ledger';
import { costOfUsage } from '../pricing/cost';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import { applyPromptChanges } from '../prompts/applyPromptChanges';
import type { PromptDefinition } from '../prompts/promptTypes';
import type { DatasetRow } from '../runs/dataset';
import { promptRequest } from '../runs/promptRequest';
import type { ComparisonCandidate, RowAnswer } from './compareTypes';

/** The part of the one client a comparison uses. */
export type ComparisonClient = Pick<PromptMeterClient, 'chat' | 'embed'>;

/** One sampled dataset row: its 1-based number in the dataset and its values. */
export interface SampledRow {
  readonly number: number;
  readonly values: DatasetRow;
}

export interface AnswerCollection {
  readonly prompt: PromptDefinition;
  readonly rows: readonly SampledRow[];
  readonly candidates: readonly ComparisonCandidate[];
  readonly client: ComparisonClient;
  readonly pricing: Pricing;
  readonly overrides: PriceOverrides;
  /** The ledger `source` of every call, `compare:<workspace-relative file>`. */
  readonly source: string;
  /** The ledger `runId` of every call: the comparison's id, so its entries can be summed. */
  readonly comparisonId: string;
  /** The ledger every call is written to (multi-root: the prompt's workspace folder's); default the client's own. */
  readonly ledger?: LedgerWriter;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Calls in flight at once (default {@link COMPARISON_CONCURRENCY}). */
  readonly concurrency?: number;
}

/**
 * Calls a comparison keeps in flight: few enough that they rarely wait in the client's queue, since the latency
 * the client reports includes queueing and would otherwise measure the queue rather than the model.
 */
export const COMPARISON_CONCURRENCY = 4;

/** The ledger source that marks a call as part of a comparison of `file`. */
export function comparisonSource(file: string): string {
  return `compare:${file}`;
}

/** The answer text and whether it was cut off (finish_reason `length` or `content_filter`). */
export function answerOf(response: ChatCompletion): { text: string; truncated: boolean } {
  const choice = response.choices[0];
  const reason = choice?.finish_reason as string | undefined;
  return { text: choice?.message?.content ?? '', truncated: reason === 'length' || reason === 'content_filter' };
}

/**
 * Every candidate's answer to every row, through the one client (throttled, retried, cached, ledgered). A failed
 * call is an answer with `error` (it fails scoring); cancellation rejects.
 */
export async function collectAnswers(collection: AnswerCollection): Promise<RowAnswer[]> {
  const total = collection.rows.length * collection.candidates.length;
  let done = 0;
  const prompts = new Map(
    collection.candidates.map((candidate) => [
      candidate.model,
      applyPromptChanges(collection.prompt, candidate.changes),
    ]),
  );
  // Row by row across models, so every model meets the same load.
  const pairs = collection.rows.flatMap((row) => collection.candidates.map((candidate) => ({ row, candidate })));
  return runBounded(
    pairs,
    collection.concurrency ?? COMPARISON_CONCURRENCY,
    collection.signal,
    async ({ row, candidate }): Promise<RowAnswer> => {
      const price = collection.pricing.priceFor(candidate.model);
      const request = promptRequest(
        prompts.get(candidate.model)!,
        candidate.model,
        row.values,
        collection.overrides,
      ) as unknown as ChatCompletionCreateParams;
      const base = { row: row.number, model: candidate.model };
      try {
        const result = await collection.client.chat(
          { ...request, stream: false },
          {
            source: collection.source,
            runId: collection.comparisonId,
            jobId: `${candidate.model}#row-${row.number}`,
            signal: collection.signal,
            ...(collection.ledger ? { ledger: collection.ledger } : {}),
          },
        );
        const { text, truncated } = answerOf(result.response);
        return {
          ...base,
          text,
          truncated,
          cached: result.cache !== 'miss' && result.cache !== 'bypass',
          latencyMs: result.latencyMs,
          costUsd: result.costUsd,
          standardUsd: price ? costOfUsage(price, result.usage) : null,
          batchUsd: price ? costOfUsage(price, result.usage, { batchApi: true }) : null,
          reasoningTokens: result.usage.reasoningTokens,
        };
      } catch (error) {
        if (collection.signal?.aborted) throw error;
        return {
          ...base,
          text: '',
          truncated: false,
          error: (error as Error).message,
          cached: false,
          latencyMs: 0,
          costUsd: 0,
          standardUsd: null,
          batchUsd: null,
          reasoningTokens: 0,
        };
      } finally {
        collection.onProgress?.(++done, total);
      }
    },
  );
}
