import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
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
  /** Money spent so far (USD, from usage). */
  costUsd: number;
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
    writeFileSync(path.join(directory, 'jobs.jsonl'), jobs.map((job) => JSON.stringify(job)).join('\n') + (jobs.length ? '\n' : ''));
    const index: RunIndex = {
      version: 1, id, createdAt: now.toISOString(), updatedAt: now.toISOString(), status: 'planned', source,
      jobs: { total: jobs.length, done: 0, failed: 0, pending: jobs.length }, costUsd: 0, estimateUsd,
    };
    const folder = new RunFolder(directory, index);
    folder.saveIndex();
    return folder;
  }

  /** Opens a run by id (or by its folder path). */
  open(idOrPath: string): RunFolder {
    const directory = existsSync(path.join(idOrPath, 'run.json')) ? idOrPath : path.join(this.root, idOrPath);
    const indexFile = path.join(directory, 'run.json');
    if (!existsSync(indexFile)) throw new Error(`No run "${idOrPath}" in ${this.root}.`);
    return new RunFolder(directory, JSON.parse(readFileSync(indexFile, 'utf8')) as RunIndex);
  }

  /** All runs, newest first (unreadable folders are skipped). */
  list(): RunIndex[] {
    if (!existsSync(this.root)) return [];
    const runs: RunIndex[] = [];
    for (const name of readdirSync(this.root)) {
      try {
        runs.push(JSON.parse(readFileSync(path.join(this.root, name, 'run.json'), 'utf8')) as RunIndex);
      } catch {
        // A half-created or foreign folder is not a run.
      }
    }
    return runs.sort((left, right) => right.createdAt.localeCompare(left.createdAt));
  }
}

/**
 * One run's folder. Results are appended one line per finished job with a single write to an O_APPEND
 * descriptor, so a `kill -9` loses at most the calls in flight; a torn last line is skipped on reading.
 */
export class RunFolder {
  private descriptor: number | undefined;

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
    for (const result of readJsonLines<JobResult>(path.join(this.directory, 'results.jsonl'))) results.set(result.jobId, result);
    return results;
  }

  appendResult(result: JobResult): void {
    this.descriptor ??= this.openResults();
    writeSync(this.descriptor, `${JSON.stringify(result)}\n`);
  }

  /** Writes run.json atomically (temporary file + rename), so a reader never sees half an index. */
  saveIndex(changes: Partial<RunIndex> = {}): void {
    Object.assign(this.index, changes, { updatedAt: new Date().toISOString() });
    const file = path.join(this.directory, 'run.json');
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.index, null, 2)}\n`);
    renameSync(temporary, file);
  }

  writeFile(name: string, content: string): void {
    writeFileSync(path.join(this.directory, name), content);
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
