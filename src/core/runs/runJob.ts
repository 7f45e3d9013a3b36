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
  readonly endpoint: 'chat.completions' | 'embeddings';
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
  /** The job whose answer this one reuses (dedupe). */
  readonly answeredBy?: string;
  readonly finishedAt: string;
}
