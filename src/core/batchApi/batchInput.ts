import { createHash } from 'node:crypto';
import { toResponsesRequest } from '../client/responsesConversion';
import type { JobResult, RunJob } from '../runs/runJob';
import { pendingJobs, type FollowerMap, type RunSchedule } from '../runs/runSchedule';

/** The endpoints a Prompt Meter batch targets (a batch has exactly one). */
export type BatchEndpoint = '/v1/chat/completions' | '/v1/responses' | '/v1/embeddings';

/**
 * OpenAI's limits per batch: 50,000 requests, a 200 MB input file, and 50,000 embedding inputs across an
 * embeddings batch. Byte limit kept below 200 MB for headroom. Tests pass small values to see the split.
 */
export interface BatchLimits {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly maxEmbeddingInputs: number;
}

/** The limits OpenAI applies today. */
export const OPENAI_BATCH_LIMITS: BatchLimits = {
  maxLines: 50_000,
  maxBytes: 190 * 1024 * 1024,
  maxEmbeddingInputs: 50_000,
};

/** One input file and the one batch it becomes. */
export interface BatchInputPart {
  /** Stable within a submission: `chat-1`, `responses-1`, `embeddings-1`, `chat-2`… */
  readonly key: string;
  readonly endpoint: BatchEndpoint;
  /** The JSONL to upload: one `{custom_id, method, url, body}` per line, newline-terminated. */
  readonly jsonl: string;
  /** In line order. */
  readonly customIds: readonly string[];
}

/** What a (re)run sends through the Batch API, and how answers map back. */
export interface BatchInput {
  /** One per endpoint (more when a limit splits it); empty when nothing needs a call. */
  readonly parts: BatchInputPart[];
  /** custom_id → the job whose request the line carries (a leader; its followers are filled after). */
  readonly customIdToJob: Map<string, RunJob>;
  /** The same schedule the normal path uses: leaders, followers, jobs answered already. */
  readonly schedule: RunSchedule;
}

/** Longest custom_id we send as is. OpenAI documents no limit; 64 is what other batch APIs accept. */
export const MAX_CUSTOM_ID_LENGTH = 64;

/**
 * The custom_id of a job: the job id itself when it is at most 64 visible ASCII characters (`#` and `/` are
 * fine: custom_id is an opaque string), otherwise `pm-` + 24 hex digits of its SHA-256. Stable, so the same job
 * always gets the same id; the run folder keeps the mapping either way (`batch-ids.json`).
 */
export function customIdFor(jobId: string): string {
  if (jobId.length > 0 && jobId.length <= MAX_CUSTOM_ID_LENGTH && /^[\x21-\x7e]+$/.test(jobId)) return jobId;
  return `pm-${createHash('sha256').update(jobId).digest('hex').slice(0, 24)}`;
}

/**
 * Builds the Batch API input for the jobs that still need an answer: one line per leader job (identical
 * requests are sent once, jobs answered already are not sent), grouped by endpoint, split by OpenAI's limits.
 * Embedding lines ask for `float` vectors unless the job chose a format (the SDK default, base64, is not what
 * we store).
 */
export function buildBatchInput(
  jobs: readonly RunJob[],
  results: ReadonlyMap<string, JobResult> = new Map(),
  options: { semanticFollowers?: FollowerMap; limits?: BatchLimits; onlyJobs?: ReadonlySet<string> } = {},
): BatchInput {
  const limits = options.limits ?? OPENAI_BATCH_LIMITS;
  const schedule = pendingJobs(jobs, results, options.semanticFollowers ?? new Map(), options.onlyJobs);
  const customIdToJob = new Map<string, RunJob>();
  const parts: BatchInputPart[] = [];
  for (const endpoint of ['/v1/chat/completions', '/v1/responses', '/v1/embeddings'] as const) {
    const name = endpoint === '/v1/embeddings' ? 'embeddings' : endpoint === '/v1/responses' ? 'responses' : 'chat';
    let lines: string[] = [];
    let customIds: string[] = [];
    let bytes = 0;
    let inputs = 0;
    const flush = () => {
      if (lines.length === 0) return;
      parts.push({
        key: `${name}-${parts.filter((part) => part.endpoint === endpoint).length + 1}`,
        endpoint,
        jsonl: lines.join(''),
        customIds,
      });
      lines = [];
      customIds = [];
      bytes = 0;
      inputs = 0;
    };
    for (const job of schedule.leaders) {
      // Map-reduce jobs need their map answers before the reduce calls: they stay pending for a normal run.
      if (job.mapReduce || endpointOf(job) !== endpoint) continue;
      const customId = uniqueCustomId(job.id, customIdToJob);
      // Responses jobs hold a chat-shaped request like every chat job; the line carries it in the Responses shape.
      const body =
        endpoint === '/v1/embeddings'
          ? { encoding_format: 'float', ...job.request }
          : endpoint === '/v1/responses'
            ? toResponsesRequest(job.request as unknown as Record<string, unknown>)
            : job.request;
      const line = `${JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body })}\n`;
      const lineBytes = Buffer.byteLength(line);
      const lineInputs = endpoint === '/v1/embeddings' ? embeddingInputCount(job) : 0;
      if (
        lines.length >= limits.maxLines ||
        bytes + lineBytes > limits.maxBytes ||
        inputs + lineInputs > limits.maxEmbeddingInputs
      )
        flush();
      customIdToJob.set(customId, job);
      lines.push(line);
      customIds.push(customId);
      bytes += lineBytes;
      inputs += lineInputs;
    }
    flush();
  }
  return { parts, customIdToJob, schedule };
}

/** The batch endpoint of a job. */
export function endpointOf(job: RunJob): BatchEndpoint {
  if (job.endpoint === 'embeddings') return '/v1/embeddings';
  return job.endpoint === 'responses' ? '/v1/responses' : '/v1/chat/completions';
}

function embeddingInputCount(job: RunJob): number {
  const input = 'input' in job.request ? job.request.input : '';
  return Array.isArray(input) ? input.length : 1;
}

/** A hash collision between two long ids (never seen, but cheap to rule out) gets a longer hash. */
function uniqueCustomId(jobId: string, taken: ReadonlyMap<string, RunJob>): string {
  const customId = customIdFor(jobId);
  if (!taken.has(customId)) return customId;
  return `pm-${createHash('sha256').update(jobId).digest('hex').slice(0, 60)}`;
}
