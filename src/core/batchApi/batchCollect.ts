import type { PriceUsage } from '../client/priceUsage';
import type { LedgerWriter } from '../ledger/ledger';
import type { RunJob } from '../runs/runJob';
import { pendingJobs, type FollowerMap } from '../runs/runSchedule';
import type { RunFolder } from '../runs/runStore';
import type { BatchApiClient } from './batchApiClient';
import { collectLine, followerLine, parseBatchLines, type CollectedLine } from './batchResults';
import type { BatchPartState, BatchStateStore } from './batchState';

/** What collecting needs: where results and ledger entries go, and how to price and date them. */
export interface CollectContext {
  readonly folder: RunFolder;
  readonly store: BatchStateStore;
  readonly client: BatchApiClient;
  readonly jobsById: ReadonlyMap<string, RunJob>;
  readonly priceUsage: PriceUsage;
  readonly ledger?: LedgerWriter;
  readonly now: () => Date;
}

/** Lines of one finished batch by outcome. */
export interface CollectedCounts {
  answered: number;
  failed: number;
  /** Expired or cancelled before they ran: pending. */
  notRun: number;
}

/**
 * Downloads a finished batch's output and error files and writes one result per line it ran (answers and
 * failures, `cache: 'batch'`) plus its ledger entry at Batch prices. Lines that never ran (expired, cancelled)
 * and lines missing from both files leave their jobs pending. Downloads ignore the run's cancel signal: what
 * the batch finished is kept. Safe to repeat after a crash: results this batch already wrote are not rewritten.
 */
export async function collectPart(part: BatchPartState, context: CollectContext): Promise<CollectedCounts> {
  const { client, folder, store } = context;
  const [output, errors] = await Promise.all([
    part.outputFileId ? client.downloadFile(part.outputFileId) : Promise.resolve(''),
    part.errorFileId ? client.downloadFile(part.errorFileId) : Promise.resolve(''),
  ]);
  const outcomes = parseBatchLines(output, errors);
  part.collectingSince ??= context.now().toISOString();
  store.save();
  const since = part.collectingSince;
  const existing = folder.results();
  const customIds = store.customIds();
  const counts: CollectedCounts = { answered: 0, failed: 0, notRun: 0 };
  for (const [customId, outcome] of outcomes) {
    const job = context.jobsById.get(customIds.get(customId) ?? '');
    if (!job) continue;
    if (outcome.kind === 'notRun') {
      counts.notRun += 1;
      continue;
    }
    counts[outcome.kind] += 1;
    const earlier = existing.get(job.id);
    if (earlier?.cache === 'batch' && earlier.finishedAt >= since) continue;
    await write(
      context,
      collectLine(job, outcome, {
        runId: folder.id,
        batchId: part.batchId ?? '',
        now: context.now,
        priceUsage: context.priceUsage,
      }),
    );
  }
  part.collected = true;
  store.save();
  return counts;
}

/**
 * Gives every pending job whose answer now exists in the run (an identical request, or an accepted similar
 * question whose leader is answered) that answer without a call, exactly as the normal path does. Returns how
 * many jobs were filled.
 */
export async function fillFollowers(
  jobs: readonly RunJob[],
  semanticFollowers: FollowerMap,
  context: Pick<CollectContext, 'folder' | 'ledger' | 'now'>,
  onlyJobs?: ReadonlySet<string>,
): Promise<number> {
  const schedule = pendingJobs(jobs, context.folder.results(), semanticFollowers, onlyJobs);
  for (const { follower, leader } of schedule.answeredNow) {
    const kind = schedule.isSemantic(follower.id) ? 'semantic' : 'dedupe';
    await write(context, followerLine(follower, leader, kind, { runId: context.folder.id, now: context.now }));
  }
  return schedule.answeredNow.length;
}

/** Result first (the run's truth), then the ledger; a ledger write error never loses the result. */
async function write(context: Pick<CollectContext, 'folder' | 'ledger'>, line: CollectedLine): Promise<void> {
  context.folder.appendResult(line.result);
  await context.ledger?.append(line.entry).catch(() => undefined);
}
