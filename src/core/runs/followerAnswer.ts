import { randomUUID } from 'node:crypto';
import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { JobResult, RunJob } from './runJob';

/** A job answered by another job's answer: its result and the ledger entry of the call that was not made. */
export interface FollowerAnswer {
  readonly result: JobResult;
  readonly entry: LedgerEntry;
}

/**
 * Gives `follower` (an identical request, or an accepted similar question) the leader's answer: no call, cost 0,
 * and a ledger entry recording the avoided call (the cost report's "dedupe") at the price the leader was sent at
 * (Batch prices when a batch answered it). A truncated answer is shared as truncated and avoids nothing. Both
 * engines (standard and Batch API) use this one rule.
 */
export function followerAnswer(
  follower: RunJob,
  leader: JobResult,
  kind: 'dedupe' | 'semantic',
  context: { readonly runId: string; readonly now: () => Date },
): FollowerAnswer {
  const finishedAt = context.now().toISOString();
  const batchApi = leader.cache === 'batch';
  const result: JobResult = {
    ...leader,
    jobId: follower.id,
    file: follower.file,
    row: follower.row,
    costUsd: 0,
    cache: kind,
    answeredBy: leader.jobId,
    finishedAt,
  };
  const entry: LedgerEntry = {
    version: 1,
    id: randomUUID(),
    time: finishedAt,
    source: follower.file,
    runId: context.runId,
    jobId: follower.id,
    endpoint: follower.endpoint,
    model: follower.model,
    requestKey: follower.dedupeKey,
    usage: leader.usage,
    costUsd: 0,
    ...(leader.outcome === 'truncated'
      ? { outcome: 'truncated' as const, ...(leader.finishReason ? { finishReason: leader.finishReason } : {}) }
      : {
          outcome: 'ok' as const,
          avoidedCostUsd: leader.costUsd ?? (batchApi ? follower.estimate.batchCostUsd : follower.estimate.costUsd),
        }),
    ...(batchApi ? { batchApi: true } : {}),
    latencyMs: 0,
    cache: 'inflight',
    retries: 0,
    extra: { dedupe: kind === 'dedupe' ? 'identical' : 'semantic', answeredBy: leader.jobId },
  };
  return { result, entry };
}

/** The answer text of a chat completion's choices: one choice as is, several (`n > 1`) separated by rules. */
export function joinChoiceTexts(texts: readonly string[]): string {
  return texts.length > 1 ? texts.join('\n\n---\n\n') : (texts[0] ?? '');
}
