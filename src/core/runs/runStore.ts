import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { ZERO_MONEY, type MoneyAmount } from '../report/money';
import { countResults, indexCounts } from './runCounts';
import type { JobResult, RunJob } from './runJob';

export type RunStatus = 'planned' | 'running' | 'completed' | 'cancelled' | 'stopped' | 'failed';

/** `run.json`: the run's index, rewritten atomically as the run progresses. Other features read it (cost report). */
export interface RunIndex {
  version: 1;
  id: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  /** Workspace-relative folder or files that were run. */
  source: string;
  /** `truncated`: answers paid for that were cut off or empty (absent in runs made before it was counted). */
  jobs: { total: number; done: number; failed: number; truncated?: number; pending: number };
  /** Money spent so far, from usage; answers without a known price are an unknown part, never $0. */
  cost: MoneyAmount;
  /**
   * `cost.usd` for readers of older run.json files: USD spent, or null when some of it is unknown. Files written
   * before `cost` existed have only this (a number); they are read as fully known.
   */
  costUsd: number | null;
  /** Estimated before running (USD, standard prices). */
  estimateUsd: number | null;
  /** Why the run stopped early, in words the user can act on. */
  stopReason?: string;
  batchApi?: { batchId?: string; inputFileId?: string; status: string; outputFileId?: string; errorFileId?: string };
}

/** The runs of a workspace: `.promptmeter/runs/<run-id>/` with run.json, jobs.jsonl, results.jsonl, summary.md. */
export class RunStore {
  constructor(readonly root: string) {}

  create(source: string, jobs: readonly RunJob[], estimateUsd: number | null, now = new Date()): RunFolder {
    const id = `${now.toISOString().replace(/[:.]/g, '-').replace('Z', '')}-${randomBytes(3).toString('hex')}`;
    const directory = path.join(this.root, id);
    mkdirSync(directory, { recursive: true });
    writeFileSync(
      path.join(directory, 'jobs.jsonl'),
      jobs.map((job) => JSON.stringify(job)).join('\n') + (jobs.length ? '\n' : ''),
    );
    const index: RunIndex = {
      version: 1,
      id,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      status: 'planned',
      source,
      jobs: { total: jobs.length, done: 0, failed: 0, pending: jobs.length },
      cost: ZERO_MONEY,
      costUsd: 0,
      estimateUsd,
    };
    const folder = new RunFolder(directory, index);
    folder.saveIndex();
    return folder;
  }

  /**
   * Opens a run by id (or by its folder path), or the newest run for `last`. A run whose run.json is missing or
   * damaged but whose jobs.jsonl is there is rebuilt from jobs.jsonl + results.jsonl; `folder.notice` then says so,
   * naming the file.
   */
  open(idOrPath: string): RunFolder {
    if (idOrPath === 'last') {
      const newest = this.list()[0] ?? this.rebuildableIds()[0];
      if (!newest) throw new Error(`No runs in ${this.root} yet.`);
      return this.open(typeof newest === 'string' ? newest : newest.id);
    }
    const isFolder = existsSync(path.join(idOrPath, 'run.json')) || existsSync(path.join(idOrPath, 'jobs.jsonl'));
    const directory = isFolder ? idOrPath : path.join(this.root, idOrPath);
    const indexFile = path.join(directory, 'run.json');
    const jobsFile = path.join(directory, 'jobs.jsonl');
    if (!existsSync(indexFile) && !existsSync(jobsFile)) throw new Error(`No run "${idOrPath}" in ${this.root}.`);
    let problem: string | undefined;
    if (existsSync(indexFile)) {
      try {
        return new RunFolder(directory, readIndex(JSON.parse(readFileSync(indexFile, 'utf8'))));
      } catch (error) {
        problem = `is damaged (${(error as Error).message})`;
      }
    } else problem = 'is missing';
    if (!existsSync(jobsFile))
      throw new Error(`${indexFile} ${problem}, and there is no jobs.jsonl beside it to rebuild the run from.`);
    const folder = new RunFolder(directory, rebuiltIndex(directory, path.basename(directory)));
    folder.saveIndex();
    folder.notice = `${indexFile} ${problem}: rebuilt it from jobs.jsonl and results.jsonl (${folder.index.jobs.done} of ${folder.index.jobs.total} jobs have a result).`;
    return folder;
  }

  /** All runs, newest first (unreadable folders are skipped). */
  list(): RunIndex[] {
    if (!existsSync(this.root)) return [];
    const runs: RunIndex[] = [];
    for (const name of readdirSync(this.root)) {
      try {
        runs.push(readIndex(JSON.parse(readFileSync(path.join(this.root, name, 'run.json'), 'utf8'))));
      } catch {
        // A half-created or foreign folder is not a run.
      }
    }
    return runs.sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  }

  /** Folders with jobs.jsonl but no readable run.json (newest name first): runs a resume can rebuild. */
  rebuildableIds(): string[] {
    if (!existsSync(this.root)) return [];
    const readable = new Set(this.list().map((run) => run.id));
    return readdirSync(this.root)
      .filter((name) => !readable.has(name) && existsSync(path.join(this.root, name, 'jobs.jsonl')))
      .sort((left, right) => right.localeCompare(left));
  }
}

/**
 * A parsed run.json as the current shape: files written before `cost` existed carry `costUsd` only (read as
 * known). Throws when it is not a run index at all.
 */
function readIndex(value: unknown): RunIndex {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
  const index = value as RunIndex;
  if (typeof index.id !== 'string' || !index.jobs || typeof index.jobs.total !== 'number')
    throw new Error('no run id or job counts');
  if (!index.cost || typeof index.cost.knownUsd !== 'number') {
    const usd = typeof index.costUsd === 'number' ? index.costUsd : 0;
    index.cost = { usd, knownUsd: usd, unpriced: 0 };
  }
  return index;
}

/** An index rebuilt from the run's own lines: counts and cost from the results, status from what is left. */
function rebuiltIndex(directory: string, id: string): RunIndex {
  const jobs = readJsonLines<RunJob>(path.join(directory, 'jobs.jsonl'));
  const results = new Map(
    readJsonLines<JobResult>(path.join(directory, 'results.jsonl')).map((result) => [result.jobId, result]),
  );
  const counts = countResults(jobs, results);
  const created = (statSync(path.join(directory, 'jobs.jsonl')).mtime ?? new Date()).toISOString();
  const sources = [...new Set(jobs.map((job) => job.file))];
  return {
    version: 1,
    id,
    createdAt: created,
    updatedAt: created,
    status: counts.pending > 0 ? 'cancelled' : 'completed',
    source: sources.length === 1 ? sources[0]! : `${sources.length} files`,
    ...indexCounts(counts),
    costUsd: counts.cost.usd,
    estimateUsd: null,
  };
}

/**
 * One run's folder. Results are appended one line per finished job with a single write to an O_APPEND
 * descriptor, so a `kill -9` loses at most the calls in flight; a torn last line is skipped on reading.
 */
export class RunFolder {
  private descriptor: number | undefined;
  /** Set when opening had to repair something (run.json rebuilt): a line to show the user. */
  notice: string | undefined;

  constructor(
    readonly directory: string,
    readonly index: RunIndex,
  ) {}

  get id(): string {
    return this.index.id;
  }

  jobs(): RunJob[] {
    return readJsonLines<RunJob>(path.join(this.directory, 'jobs.jsonl'));
  }

  /** The latest result per job id (a later result, e.g. a retried failure, replaces an earlier one). */
  results(): Map<string, JobResult> {
    const results = new Map<string, JobResult>();
    for (const result of readJsonLines<JobResult>(path.join(this.directory, 'results.jsonl')))
      results.set(result.jobId, result);
    return results;
  }

  appendResult(result: JobResult): void {
    this.descriptor ??= this.openResults();
    writeSync(this.descriptor, `${JSON.stringify(result)}\n`);
  }

  /** Writes run.json atomically (temporary file + rename), so a reader never sees half an index. */
  saveIndex(changes: Partial<RunIndex> = {}): void {
    Object.assign(this.index, changes, { updatedAt: new Date().toISOString() });
    if (changes.cost) this.index.costUsd = changes.cost.usd;
    const file = path.join(this.directory, 'run.json');
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.index, null, 2)}\n`);
    renameSync(temporary, file);
  }

  writeFile(name: string, content: string): void {
    writeFileSync(path.join(this.directory, name), content);
  }

  /** Deletes the run folder: a new run declined at its plan, which sent nothing and holds nothing to resume. */
  discard(): void {
    this.close();
    rmSync(this.directory, { recursive: true, force: true });
  }

  close(): void {
    if (this.descriptor === undefined) return;
    fsyncSync(this.descriptor);
    closeSync(this.descriptor);
    this.descriptor = undefined;
  }

  private openResults(): number {
    const file = path.join(this.directory, 'results.jsonl');
    // A crash can leave a torn last line: start on a fresh line so the next result is not glued to it.
    let torn = false;
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      torn = text.length > 0 && !text.endsWith('\n');
    }
    const descriptor = openSync(file, 'a');
    if (torn) writeSync(descriptor, '\n');
    return descriptor;
  }
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const values: T[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      // A torn line from a killed process: that job is simply pending again.
    }
  }
  return values;
}
