import type { BatchInputError } from './batchInput';

/** Where a batch is in its life. */
export type BatchStatus =
  'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

/** OpenAI's batch object (mutated in place by the store as the batch moves on). */
export interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: BatchInputError[] } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** One line of a batch output or error file. */
export interface BatchResultLine {
  readonly id: string;
  readonly custom_id: string;
  readonly response: { readonly status_code: number; readonly request_id: string; readonly body: unknown } | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** Endpoints a batch may target. */
export const BATCH_ENDPOINTS: readonly string[] = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses'];

/** A fresh batch object in `validating`. */
export function newBatchObject(
  id: string,
  createdAt: number,
  request: { inputFileId: string; endpoint: string; metadata: Record<string, string> | null },
): BatchObject {
  return {
    id,
    object: 'batch',
    endpoint: request.endpoint,
    errors: null,
    input_file_id: request.inputFileId,
    completion_window: '24h',
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: createdAt,
    in_progress_at: null,
    expires_at: createdAt + 24 * 3600,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: request.metadata,
  };
}
