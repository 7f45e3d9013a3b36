import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { LedgerEntry } from './ledgerEntry';

/** Options for {@link readLedger}. */
export interface ReadLedgerOptions {
  /** Only entries whose `time` is at or after this instant. */
  since?: Date | string;
}

/** What {@link readLedger} found. */
export interface LedgerContents {
  entries: LedgerEntry[];
  /** Lines that were not a valid entry: a torn last line after a crash, or foreign text. */
  skippedLines: number;
}

function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Partial<LedgerEntry>;
  return (
    entry.version === 1 &&
    typeof entry.id === 'string' &&
    typeof entry.time === 'string' &&
    typeof entry.model === 'string' &&
    typeof entry.latencyMs === 'number' &&
    entry.usage !== undefined &&
    typeof entry.usage === 'object'
  );
}

/** One ledger line as an entry, or undefined when it is not a complete, valid entry. */
export function parseLedgerLine(line: string): LedgerEntry | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return isLedgerEntry(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a ledger file line by line (streaming, so a large ledger is not loaded as one string), skipping any line
 * that is not a complete entry instead of failing: a crash can tear the last line, and the reader must still
 * show everything before it. A missing file is an empty ledger.
 */
export async function readLedger(filePath: string, options: ReadLedgerOptions = {}): Promise<LedgerContents> {
  const since = options.since === undefined ? undefined : new Date(options.since).getTime();
  const entries: LedgerEntry[] = [];
  let skippedLines = 0;
  const stream = createReadStream(filePath, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!opened) return { entries, skippedLines };
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseLedgerLine(line);
    if (!parsed) {
      skippedLines += 1;
      continue;
    }
    if (since !== undefined && !(Date.parse(parsed.time) >= since)) continue;
    entries.push(parsed);
  }
  return { entries, skippedLines };
}
