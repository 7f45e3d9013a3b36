import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunFolder, RunIndex } from '../runs/runStore';
import type { BatchEndpoint } from './batchInput';

/** Batch statuses the API reports; `preparing` is ours: the input file is written locally, not yet a batch. */
export type BatchPartStatus =
  | 'preparing'
  | 'validating'
  | 'failed'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled';

/** After these the batch never changes again: its files can be collected. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['failed', 'completed', 'expired', 'cancelled']);

/** One batch of a run, as recorded in `batch-api.json`; every id is saved the moment it is known. */
export interface BatchPartState {
  /** `<round>-<endpoint>-<n>`: a round is one submission (a run resent after expiry or failures has several). */
  readonly key: string;
  readonly round: number;
  readonly endpoint: BatchEndpoint;
  /** The input JSONL, kept in the run folder so a crash before the upload loses nothing. */
  readonly inputFile: string;
  readonly lines: number;
  inputFileId?: string;
  /** A create was sent (its answer may have been lost): look for the batch before creating another. */
  createAttempted?: boolean;
  batchId?: string;
  status: BatchPartStatus;
  requestCounts?: { total: number; completed: number; failed: number };
  outputFileId?: string;
  errorFileId?: string;
  /** Why the batch could not be created or failed validation (words the user can act on). */
  failure?: string;
  /** ISO time collection began; results written from then on by this batch are not written twice. */
  collectingSince?: string;
  /** Results (and ledger entries) of this batch are written; the part is done. */
  collected: boolean;
}

/** `batch-api.json`: the run's batches and the custom_id → job id map. */
export interface BatchApiState {
  version: 1;
  parts: BatchPartState[];
  /** Follower → leader of accepted similar questions at submission, so a resume fills them the same way. */
  semanticFollowers: Record<string, string>;
}

const STATE_FILE = 'batch-api.json';
const IDS_FILE = 'batch-ids.json';

/**
 * The Batch API bookkeeping of one run folder: `batch-api.json` (small, rewritten atomically at every step),
 * `batch-ids.json` (custom_id → job id, merged once per submission) and the input files. `run.json`'s
 * `batchApi` mirrors the batch in flight (or the latest one) for readers that know only run.json.
 */
export class BatchStateStore {
  readonly state: BatchApiState;

  constructor(private readonly folder: RunFolder) {
    const file = path.join(folder.directory, STATE_FILE);
    this.state = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as BatchApiState)
      : { version: 1, parts: [], semanticFollowers: {} };
  }

  /** Parts not collected yet: the batches a run resumes instead of submitting new ones. */
  activeParts(): BatchPartState[] {
    return this.state.parts.filter((part) => !part.collected);
  }

  /** The parts of the latest submission, in order: what a run report shows. */
  latestRound(): BatchPartState[] {
    const round = this.state.parts.at(-1)?.round;
    return this.state.parts.filter((part) => part.round === round);
  }

  /** custom_id → job id over every submission of this run. */
  customIds(): Map<string, string> {
    const file = path.join(this.folder.directory, IDS_FILE);
    return existsSync(file)
      ? new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>))
      : new Map();
  }

  /** Records a submission before anything is uploaded: ids map, input files, then the parts. */
  addSubmission(
    parts: ReadonlyArray<{ key: string; endpoint: BatchEndpoint; jsonl: string; customIds: readonly string[] }>,
    customIdToJobId: ReadonlyMap<string, string>,
    semanticFollowers: ReadonlyMap<string, string>,
  ): void {
    const ids = this.customIds();
    for (const [customId, jobId] of customIdToJobId) ids.set(customId, jobId);
    this.writeAtomically(IDS_FILE, `${JSON.stringify(Object.fromEntries(ids))}\n`);
    const round = (this.state.parts.at(-1)?.round ?? -1) + 1;
    for (const part of parts) {
      const inputFile = `batch-input-${round}-${part.key}.jsonl`;
      this.writeAtomically(inputFile, part.jsonl);
      this.state.parts.push({
        key: `${round}-${part.key}`,
        round,
        endpoint: part.endpoint,
        inputFile,
        lines: part.customIds.length,
        status: 'preparing',
        collected: false,
      });
    }
    this.state.semanticFollowers = { ...this.state.semanticFollowers, ...Object.fromEntries(semanticFollowers) };
    this.save();
  }

  /** The input JSONL of a part, as first written. */
  inputOf(part: BatchPartState): string {
    return readFileSync(path.join(this.folder.directory, part.inputFile), 'utf8');
  }

  /** Forgets parts that never became a batch (a cancel before their create): their jobs stay pending. */
  dropUnsubmitted(): void {
    this.state.parts = this.state.parts.filter((part) => part.collected || part.batchId !== undefined);
    this.save();
  }

  /** Writes `batch-api.json` atomically and mirrors the current batch into run.json. */
  save(indexChanges: Partial<RunIndex> = {}): void {
    this.writeAtomically(STATE_FILE, `${JSON.stringify(this.state, null, 2)}\n`);
    const active = this.activeParts();
    const current = active.find((part) => part.batchId) ?? active[0] ?? this.latestRound().find((part) => part.batchId);
    const mirror = current
      ? {
          batchApi: {
            status: current.status,
            ...(current.batchId ? { batchId: current.batchId } : {}),
            ...(current.inputFileId ? { inputFileId: current.inputFileId } : {}),
            ...(current.outputFileId ? { outputFileId: current.outputFileId } : {}),
            ...(current.errorFileId ? { errorFileId: current.errorFileId } : {}),
          },
        }
      : {};
    this.folder.saveIndex({ ...mirror, ...indexChanges });
  }

  private writeAtomically(name: string, content: string): void {
    const file = path.join(this.folder.directory, name);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  }
}
