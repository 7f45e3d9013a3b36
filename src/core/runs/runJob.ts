import type { MapReduceJobSpec } from './mapReduceJob';
import type { RequestBody } from './promptRequest';

/** One call of a run: a prompt file, one dataset row of it, or one line of a Batch `.jsonl`. */
export interface RunJob {
  /** Stable across re-runs of the same files: `file`, `file#row-12`, or `file#<custom_id>`. */
  readonly id: string;
  /** Workspace-relative prompt file. */
  readonly file: string;
  /** 1-based dataset row. */
  readonly row?: number;
  /** `responses`: a chat prompt sent through the Responses API (its request is still chat-shaped; see `chooseChatApi`). */
  readonly endpoint: 'chat.completions' | 'responses' | 'embeddings';
  readonly model: string;
  /** Exactly what is sent. */
  readonly request: RequestBody;
  /** Estimated before running (USD; null when the price is unknown). */
  readonly estimate: JobEstimate;
  /** SHA-256 of the canonical request: identical jobs share it and are sent once. */
  readonly dedupeKey: string;
  /** The text semantic grouping compares (the last user message, or the embedding input). */
  readonly question: string;
  /** Long-document jobs: run as map-reduce (many calls, one answer) instead of one request. */
  readonly mapReduce?: MapReduceJobSpec;
}

export interface JobEstimate {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number | null;
  readonly batchCostUsd: number | null;
}

/** One line of `results.jsonl`: a finished job. */
export interface JobResult {
  readonly jobId: string;
  readonly file: string;
  readonly row?: number;
  readonly model: string;
  /** The answer text (chat) or the vector length note (embeddings); empty on error. */
  readonly output: string;
  readonly usage: { promptTokens: number; cachedTokens: number; completionTokens: number; reasoningTokens: number };
  /** Money actually spent for this job (0 when served from a cache or by a duplicate). */
  readonly costUsd: number | null;
  /** memory | disk | redis | inflight | miss | bypass | dedupe | semantic | batch */
  readonly cache: string;
  readonly error?: { code?: string; status?: number; message: string };
  /** Embedding jobs: the vectors, in input order. */
  readonly embeddings?: number[][];
  /**
   * `truncated`: the answer was paid for but is not a success (finish_reason length or content_filter, or an
   * empty message without tool calls). Absent for complete answers and errors.
   */
  readonly outcome?: 'truncated';
  /** For `truncated`: the API's finish_reason (`stop` when the message was empty). */
  readonly finishReason?: string;
  /** The job whose answer this one reuses (dedupe). */
  readonly answeredBy?: string;
  readonly finishedAt: string;
}
