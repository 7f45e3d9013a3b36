import { PromptMeterError } from '../client/errors';
import type { Batch, BatchApiClient } from './batchApiClient';
import type { BatchPartState, BatchStateStore } from './batchState';

/**
 * Makes one recorded part a batch, step by step, saving each id the moment it is known: upload the input file
 * (skipped when an earlier attempt stored its id), then create the batch, unless the API already has one over
 * that file (a create whose answer a crash or timeout lost), which is adopted instead of paying twice.
 *
 * The create itself is not cancellable: once sent, we want its id (to cancel the batch), not a lost batch.
 */
export async function submitPart(
  part: BatchPartState,
  store: BatchStateStore,
  client: BatchApiClient,
  runId: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!part.inputFileId) {
    part.inputFileId = await client.uploadInput(`promptmeter-${runId}-${part.key}.jsonl`, store.inputOf(part), signal);
    store.save();
  }
  const inputFileId = part.inputFileId;
  signal?.throwIfAborted();
  let batch: Batch | undefined;
  try {
    // A process that died after sending the create may have made the batch: adopt it rather than pay twice.
    if (part.createAttempted) batch = await client.findBatchForInput(inputFileId);
    if (!batch) {
      part.createAttempted = true;
      store.save();
      batch = await client.createBatch(inputFileId, part.endpoint, {
        promptmeter_run: runId,
        promptmeter_part: part.key,
      });
    }
  } catch (error) {
    // The uploaded file is gone (deleted or expired): upload again on the next attempt.
    if (error instanceof PromptMeterError && error.status === 404) {
      delete part.inputFileId;
      store.save();
    }
    throw error;
  }
  updatePart(part, batch);
  store.save();
}

/** Copies what the API says about a batch into its part. */
export function updatePart(part: BatchPartState, batch: Batch): void {
  part.batchId = batch.id;
  part.status = batch.status;
  if (batch.request_counts) part.requestCounts = { ...batch.request_counts };
  if (batch.output_file_id) part.outputFileId = batch.output_file_id;
  if (batch.error_file_id) part.errorFileId = batch.error_file_id;
  if (batch.status === 'failed') {
    const errors = batch.errors?.data ?? [];
    part.failure =
      errors.length > 0
        ? `The Batch API rejected the input: ${errors
            .slice(0, 5)
            .map((error) => `${error.line ? `line ${error.line}: ` : ''}${error.message ?? error.code ?? 'invalid'}`)
            .join('; ')}`
        : 'The Batch API reported the batch as failed.';
  }
}

/**
 * Failures that will not go away by trying again with the same input: the part is given up (its jobs stay
 * pending for a normal run). Anything else stops the run with the part kept, so a resume tries again.
 */
export function isPermanentSubmitFailure(error: unknown): boolean {
  return error instanceof PromptMeterError && ['badRequest', 'contextLength', 'requestTooLarge'].includes(error.reason);
}
