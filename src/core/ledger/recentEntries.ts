import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LedgerEntry } from './ledgerEntry';
import { parseLedgerLine } from './readLedger';

/** How much of a ledger's end is read for "recent calls" (about 10,000 entries): a large ledger is not read whole. */
export const RECENT_LEDGER_BYTES = 4 * 1024 * 1024;

/**
 * The entries in the last `maxBytes` of a ledger file, oldest first (the first, partial line is dropped; a torn last
 * line is skipped). No file: no entries. For estimates that learn from recent calls without reading a year of them.
 */
export function readRecentLedgerEntries(filePath: string, maxBytes = RECENT_LEDGER_BYTES): LedgerEntry[] {
  let descriptor: number;
  try {
    descriptor = openSync(filePath, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(descriptor).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const read = readSync(descriptor, buffer, 0, buffer.length, start);
    const lines = buffer.subarray(0, read).toString('utf8').split('\n');
    if (start > 0) lines.shift();
    return lines.flatMap((line) => {
      const entry = line.trim() === '' ? undefined : parseLedgerLine(line);
      return entry ? [entry] : [];
    });
  } finally {
    closeSync(descriptor);
  }
}
