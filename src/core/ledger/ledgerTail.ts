import { open } from 'node:fs/promises';
import type { LedgerEntry } from './ledgerEntry';
import { parseLedgerLine, type LedgerContents } from './readLedger';

/** Bytes read at a time, so a large ledger is not held twice in memory on the first read. */
const PIECE_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads a growing ledger incrementally: each read parses only the bytes appended since the last one (the ledger
 * is append-only), and starts over when the file shrank or was replaced. For a view that refreshes on every
 * append; gives what {@link readLedger} gives for the same file.
 */
export class LedgerTail {
  private identity: string | undefined;
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);
  private entries: LedgerEntry[] = [];
  private skippedLines = 0;

  constructor(private readonly filePath: string) {}

  async read(): Promise<LedgerContents> {
    let handle;
    try {
      handle = await open(this.filePath, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.reset(undefined);
      return { entries: [], skippedLines: 0 };
    }
    try {
      const stats = await handle.stat();
      const identity = `${stats.dev}:${stats.ino}`;
      if (identity !== this.identity || stats.size < this.offset) this.reset(identity);
      while (this.offset < stats.size) {
        const piece = Buffer.alloc(Math.min(PIECE_BYTES, stats.size - this.offset));
        const { bytesRead } = await handle.read(piece, 0, piece.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.consume(Buffer.concat([this.pending, piece.subarray(0, bytesRead)]));
      }
    } finally {
      await handle.close();
    }
    // A last line without its newline is an append in progress, or torn by a crash: not an entry (yet).
    const torn = this.pending.toString('utf8').trim() === '' ? 0 : 1;
    return { entries: [...this.entries], skippedLines: this.skippedLines + torn };
  }

  private reset(identity: string | undefined): void {
    this.identity = identity;
    this.offset = 0;
    this.pending = Buffer.alloc(0);
    this.entries = [];
    this.skippedLines = 0;
  }

  private consume(bytes: Buffer): void {
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
      const line = bytes.toString('utf8', start, end);
      start = end + 1;
      if (line.trim() === '') continue;
      const entry = parseLedgerLine(line);
      if (entry) this.entries.push(entry);
      else this.skippedLines += 1;
    }
    this.pending = Buffer.from(bytes.subarray(start));
  }
}
