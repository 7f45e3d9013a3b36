import { type BatchLine, parseBatchInput } from './batchInput';
import { type BatchObject, type BatchResultLine, newBatchObject } from './batchObject';
import type { FileStore } from './fileStore';
import { newId, unixSeconds } from './ids';
import type { TestServerOptions } from './options';
import { SeededRandom } from './random';

/** What the batch store needs from the server. */
export interface BatchEnvironment {
  options(): TestServerOptions;
  readonly files: FileStore;
  /** Runs one line's request (no rate limiter, no faults) and returns its HTTP status and body. */
  executeLine(endpoint: string, body: Record<string, unknown>): { statusCode: number; body: unknown };
}

interface BatchRun {
  readonly batch: BatchObject;
  lines: BatchLine[];
  processed: number;
  readonly outputs: BatchResultLine[];
  readonly failures: BatchResultLine[];
  timer: NodeJS.Timeout | undefined;
}

/** Most lines processed per progress step is total / this (so request_counts move in visible steps). */
const PROGRESS_STEPS = 10;

/**
 * Runs batches over simulated time: `validating` (10% of `batchDurationMs`) → `in_progress` (70%, lines run in up
 * to 10 steps) → `finalizing` (20%) → `completed`. Injected per-line failures, expiry and cancellation follow the
 * options; invalid input fails the batch with `errors`.
 */
export class BatchStore {
  private readonly runs = new Map<string, BatchRun>();
  private readonly lineRandom: SeededRandom;

  constructor(private readonly environment: BatchEnvironment) {
    this.lineRandom = new SeededRandom(environment.options().seed ^ 0x0ba7c4);
  }

  /** Starts a batch; the caller has checked the input file and endpoint. */
  create(inputFileId: string, endpoint: string, metadata: Record<string, string> | null): BatchObject {
    const batch = newBatchObject(newId('batch_'), unixSeconds(), { inputFileId, endpoint, metadata });
    const run: BatchRun = { batch, lines: [], processed: 0, outputs: [], failures: [], timer: undefined };
    this.runs.set(batch.id, run);
    this.schedule(run, 0.1, () => this.validate(run));
    return batch;
  }

  get(id: string): BatchObject | undefined {
    return this.runs.get(id)?.batch;
  }

  /** Every batch, newest first. */
  list(): BatchObject[] {
    return [...this.runs.values()].map((run) => run.batch).reverse();
  }

  /** Starts cancelling; undefined when there is no such batch, false when it can no longer be cancelled. */
  cancel(id: string): boolean | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.batch.status !== 'validating' && run.batch.status !== 'in_progress') return false;
    run.batch.status = 'cancelling';
    run.batch.cancelling_at = unixSeconds();
    this.schedule(run, 0.1, () => this.finish(run, 'cancelled'));
    return true;
  }

  /** Restarts the per-line failure draws from `seed`. */
  reseed(seed: number): void {
    this.lineRandom.reseed(seed ^ 0x0ba7c4);
  }

  /** Stops every timer; batches stay where they are. */
  dispose(): void {
    for (const run of this.runs.values()) clearTimeout(run.timer);
  }

  private validate(run: BatchRun): void {
    const content = this.environment.files.content(run.batch.input_file_id)?.toString('utf8') ?? '';
    const parsed = parseBatchInput(content, run.batch.endpoint);
    if ('errors' in parsed) {
      run.batch.status = 'failed';
      run.batch.failed_at = unixSeconds();
      run.batch.errors = { object: 'list', data: parsed.errors };
      return;
    }
    run.lines = parsed.lines;
    run.batch.status = 'in_progress';
    run.batch.in_progress_at = unixSeconds();
    run.batch.request_counts.total = parsed.lines.length;
    this.schedule(run, 0.7 / this.stepCount(run), () => this.step(run));
  }

  private step(run: BatchRun): void {
    const perStep = Math.ceil(run.lines.length / this.stepCount(run));
    const expireAfter = this.environment.options().batchExpireAfterLines;
    for (let count = 0; count < perStep && run.processed < run.lines.length; count += 1) {
      if (expireAfter !== undefined && run.processed >= expireAfter) return this.finish(run, 'expired');
      const line = run.lines[run.processed];
      if (line) this.runLine(run, line);
      run.processed += 1;
    }
    if (run.processed < run.lines.length) return this.schedule(run, 0.7 / this.stepCount(run), () => this.step(run));
    run.batch.status = 'finalizing';
    run.batch.finalizing_at = unixSeconds();
    this.schedule(run, 0.2, () => this.finish(run, 'completed'));
  }

  private runLine(run: BatchRun, line: BatchLine): void {
    const options = this.environment.options();
    const injected =
      options.batchFailCustomIds.includes(line.customId) ||
      (options.batchFailFraction > 0 && this.lineRandom.next() < options.batchFailFraction);
    const result = injected
      ? {
          statusCode: 500,
          body: {
            error: {
              message: 'The server had an error while processing your request. Sorry about that!',
              type: 'server_error',
              param: null,
              code: null,
            },
          },
        }
      : this.environment.executeLine(run.batch.endpoint, line.body);
    const record: BatchResultLine = {
      id: newId('batch_req_'),
      custom_id: line.customId,
      response: { status_code: result.statusCode, request_id: newId('req_'), body: result.body },
      error: null,
    };
    if (result.statusCode === 200) {
      run.outputs.push(record);
      run.batch.request_counts.completed += 1;
    } else {
      run.failures.push(record);
      run.batch.request_counts.failed += 1;
    }
  }

  /** Ends the batch: writes the output and error files and sets the final status. */
  private finish(run: BatchRun, status: 'completed' | 'expired' | 'cancelled'): void {
    const batch = run.batch;
    if (status === 'expired') {
      for (const line of run.lines.slice(run.processed)) {
        run.failures.push({
          id: newId('batch_req_'),
          custom_id: line.customId,
          response: null,
          error: {
            code: 'batch_expired',
            message: 'This request could not be executed before the completion window expired.',
          },
        });
        batch.request_counts.failed += 1;
      }
    }
    batch.output_file_id = this.writeFile(`${batch.id}_output.jsonl`, run.outputs);
    batch.error_file_id = this.writeFile(`${batch.id}_error.jsonl`, run.failures);
    batch.status = status;
    const now = unixSeconds();
    if (status === 'completed') batch.completed_at = now;
    if (status === 'expired') batch.expired_at = now;
    if (status === 'cancelled') batch.cancelled_at = now;
  }

  private writeFile(filename: string, records: readonly BatchResultLine[]): string | null {
    if (records.length === 0) return null;
    const content = records.map((record) => JSON.stringify(record)).join('\n') + '\n';
    return this.environment.files.add(filename, 'batch_output', Buffer.from(content)).id;
  }

  private stepCount(run: BatchRun): number {
    return Math.max(1, Math.min(PROGRESS_STEPS, run.lines.length));
  }

  private schedule(run: BatchRun, fractionOfDuration: number, action: () => void): void {
    clearTimeout(run.timer);
    run.timer = setTimeout(action, this.environment.options().batchDurationMs * fractionOfDuration);
  }
}
