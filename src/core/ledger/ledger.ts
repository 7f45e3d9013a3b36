import { appendFile, mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerEntry } from './ledgerEntry';
import { readLedger } from './readLedger';
import type { LedgerContents, ReadLedgerOptions } from './readLedger';

/** What the client needs from a ledger; tests and callers can pass their own. */
export interface LedgerWriter {
  append(entry: LedgerEntry): Promise<void>;
}

/**
 * The cost ledger: one JSON object per line in an append-only file.
 *
 * Crash safety: each entry is written by a single `appendFile` of one complete line (O_APPEND, so concurrent
 * writers never interleave inside a line). If an earlier crash left a torn last line without its newline, the
 * first append of this instance starts with a newline, so the torn fragment stays on its own line (the reader
 * skips it) instead of swallowing the new entry.
 */
export class Ledger implements LedgerWriter {
  /** Appends run one after another, so the torn-line newline is written before anything else. */
  private queue: Promise<unknown> = Promise.resolve();
  private prefix: string | undefined;

  /** @param filePath where the JSONL lives; its directory is created on first append */
  constructor(readonly filePath: string) {}

  append(entry: LedgerEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.queue.then(async () => {
      this.prefix ??= await this.prepare();
      const prefix = this.prefix;
      this.prefix = '';
      await appendFile(this.filePath, prefix + line, { encoding: 'utf8' });
    });
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** Entries in file order; torn or foreign lines are counted in `skippedLines`, not thrown. */
  read(options: ReadLedgerOptions = {}): Promise<LedgerContents> {
    return readLedger(this.filePath, options);
  }

  /** Creates the directory and returns "\n" when the file ends in a torn line, "" otherwise. */
  private async prepare(): Promise<string> {
    await mkdir(path.dirname(this.filePath), { recursive: true });
    let handle;
    try {
      handle = await open(this.filePath, 'r');
    } catch {
      return '';
    }
    try {
      const { size } = await handle.stat();
      if (size === 0) return '';
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      return last.toString('utf8') === '\n' ? '' : '\n';
    } finally {
      await handle.close();
    }
  }
}
