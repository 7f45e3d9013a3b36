import { randomUUID } from 'node:crypto';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { answerOutcome } from '../client/answerOutcome';
import type { PriceUsage } from '../client/priceUsage';
import { fromResponsesAnswer } from '../client/responsesConversion';
import { emptyUsage, usageFromApi } from '../client/usage';
import type { LedgerEntry } from '../ledger/ledgerEntry';
import { followerAnswer, joinChoiceTexts } from '../runs/followerAnswer';
import type { JobResult, RunJob } from '../runs/runJob';

/** What one custom_id of a finished batch came to. */
export type BatchLineOutcome =
  | { readonly kind: 'answered'; readonly body: Record<string, unknown> }
  | { readonly kind: 'failed'; readonly error: { code?: string; status?: number; message: string } }
  /** Never ran (the batch expired or was cancelled first): the job stays pending for a later run. */
  | { readonly kind: 'notRun'; readonly code: string };

/** Error codes of lines that were never executed; they cost nothing and are sent again later. */
const NOT_RUN_CODES: ReadonlySet<string> = new Set(['batch_expired', 'batch_cancelled']);

/**
 * Reads output and error files (JSONL of `{custom_id, response: {status_code, body}, error}`) into one outcome
 * per custom_id. A 200 line is an answer; any other status or an `error` is a failure, except expired and
 * cancelled lines, which never ran. Unparseable lines are skipped (their jobs stay pending).
 */
export function parseBatchLines(...files: readonly string[]): Map<string, BatchLineOutcome> {
  const outcomes = new Map<string, BatchLineOutcome>();
  for (const text of files) {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: {
        custom_id?: unknown;
        response?: { status_code?: unknown; body?: unknown } | null;
        error?: { code?: unknown; message?: unknown } | null;
      };
      try {
        line = JSON.parse(raw) as typeof line;
      } catch {
        continue;
      }
      if (typeof line.custom_id !== 'string') continue;
      outcomes.set(line.custom_id, outcomeOf(line));
    }
  }
  return outcomes;
}

function outcomeOf(line: {
  response?: { status_code?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}): BatchLineOutcome {
  const code = typeof line.error?.code === 'string' ? line.error.code : undefined;
  if (code && NOT_RUN_CODES.has(code)) return { kind: 'notRun', code };
  const status = typeof line.response?.status_code === 'number' ? line.response.status_code : undefined;
  const body = line.response?.body;
  if (status === 200 && typeof body === 'object' && body !== null && !line.error)
    return { kind: 'answered', body: body as Record<string, unknown> };
  const bodyError =
    (typeof body === 'object' && body !== null
      ? (body as { error?: { code?: unknown; message?: unknown } }).error
      : undefined) ??
    line.error ??
    undefined;
  const message =
    typeof bodyError?.message === 'string'
      ? bodyError.message
      : `The batch line failed${status ? ` with status ${status}` : ''}.`;
  const errorCode = typeof bodyError?.code === 'string' ? bodyError.code : code;
  return {
    kind: 'failed',
    error: { ...(errorCode ? { code: errorCode } : {}), ...(status ? { status } : {}), message },
  };
}

/** A job's result and its ledger entry, from one line of a finished batch. */
export interface CollectedLine {
  readonly result: JobResult;
  readonly entry: LedgerEntry;
}

/** Context of the ledger entries: which run and batch. */
export interface LineContext {
  readonly runId: string;
  readonly batchId: string;
  readonly now: () => Date;
  readonly priceUsage: PriceUsage;
}

/**
 * Turns an answered or failed line into the job's result (`cache: 'batch'`) and a ledger entry priced at Batch
 * rates (`batchApi: true`). A failed line costs 0: the API bills only answered lines.
 */
export function collectLine(
  job: RunJob,
  outcome: Exclude<BatchLineOutcome, { kind: 'notRun' }>,
  context: LineContext,
): CollectedLine {
  const finishedAt = context.now().toISOString();
  const base = {
    jobId: job.id,
    file: job.file,
    ...(job.row === undefined ? {} : { row: job.row }),
    model: job.model,
    finishedAt,
    cache: 'batch',
  };
  const entryBase = {
    version: 1 as const,
    id: randomUUID(),
    time: finishedAt,
    source: job.file,
    runId: context.runId,
    jobId: job.id,
    endpoint: job.endpoint,
    model: job.model,
    requestKey: job.dedupeKey,
    batchApi: true,
    latencyMs: 0,
    cache: 'miss' as const,
    retries: 0,
    extra: { batchId: context.batchId },
  };
  if (outcome.kind === 'failed') {
    return {
      result: { ...base, output: '', usage: emptyUsage(), costUsd: 0, error: outcome.error },
      entry: { ...entryBase, usage: emptyUsage(), costUsd: 0, outcome: 'error', error: outcome.error },
    };
  }
  // A Responses line's body is a response object: read it as the chat completion it amounts to.
  const body =
    job.endpoint === 'responses'
      ? (fromResponsesAnswer(outcome.body) as unknown as Record<string, unknown>)
      : outcome.body;
  const usage = usageFromApi(body['usage'] as Parameters<typeof usageFromApi>[0]);
  const priced = body['usage']
    ? context.priceUsage(job.model, usage, { batchApi: true })
    : { costUsd: null, priceSource: 'no usage in the answer' };
  const { output, embeddings } =
    job.endpoint === 'embeddings' ? embeddingOutput(body) : { output: chatOutput(body), embeddings: undefined };
  const verdict =
    job.endpoint === 'embeddings'
      ? undefined
      : answerOutcome({
          choices: (Array.isArray(body['choices']) ? body['choices'] : []) as ChatCompletion['choices'],
        });
  const truncated =
    verdict?.kind === 'truncated' ? { outcome: 'truncated' as const, finishReason: verdict.finishReason } : undefined;
  return {
    result: { ...base, output, usage, costUsd: priced.costUsd, ...(embeddings ? { embeddings } : {}), ...truncated },
    entry: {
      ...entryBase,
      usage,
      costUsd: priced.costUsd,
      priceSource: priced.priceSource,
      outcome: 'ok',
      ...truncated,
    },
  };
}

/** Choice texts, joined like the normal path does for `n > 1`. */
function chatOutput(body: Record<string, unknown>): string {
  const choices = Array.isArray(body['choices']) ? (body['choices'] as Array<{ message?: { content?: unknown } }>) : [];
  return joinChoiceTexts(
    choices.map((choice) => (typeof choice.message?.content === 'string' ? choice.message.content : '')),
  );
}

function embeddingOutput(body: Record<string, unknown>): { output: string; embeddings: number[][] } {
  const data = Array.isArray(body['data']) ? (body['data'] as Array<{ embedding?: unknown }>) : [];
  const embeddings = data.map((item) => (Array.isArray(item.embedding) ? (item.embedding as number[]) : []));
  return { output: `${embeddings.length} embedding(s) of ${embeddings[0]?.length ?? 0} dimensions`, embeddings };
}

/**
 * A follower of an answered job (identical request, or an accepted similar question): the leader's answer, no
 * call, cost 0, and a ledger entry recording the avoided call at Batch prices (the cost report's "dedupe").
 * The rule is the standard path's too: {@link followerAnswer}.
 */
export function followerLine(
  follower: RunJob,
  leader: JobResult,
  kind: 'dedupe' | 'semantic',
  context: Omit<LineContext, 'batchId' | 'priceUsage'>,
): CollectedLine {
  return followerAnswer(follower, leader, kind, context);
}
