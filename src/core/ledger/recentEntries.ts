import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LedgerEntry } from './ledgerEntry';
import { parseLedgerLine } from './readLedger';

/** How much of a ledger's end is read for "recent calls" (about 10,000 entries): a large ledger is not read whole. */
export const RECENT_LEDGER_BYTES = 4 * 1024 * 1024;

/**
 * The entries in the last `maxBytes` of a ledger, oldest first: a ledger folder's newest segments (by modification
 * time) or a single ledger file. The first, partial line of what is read is dropped and a torn last line skipped;
 * no ledger, no entries. For estimates that learn from recent calls without reading a year of them.
 */
export function readRecentLedgerEntries(ledgerPath: string, maxBytes = RECENT_LEDGER_BYTES): LedgerEntry[] {
  const files = ledgerFiles(ledgerPath);
  const entries: LedgerEntry[][] = [];
  let budget = maxBytes;
  for (const file of files.reverse()) {
    if (budget <= 0) break;
    const { read, size } = readTail(file, budget);
    entries.unshift(read);
    budget -= size;
  }
  return entries.flat();
}

/** The segment files of a ledger folder, oldest first, or the file itself. */
function ledgerFiles(ledgerPath: string): string[] {
  let stats;
  try {
    stats = statSync(ledgerPath);
  } catch {
    return [];
  }
  if (!stats.isDirectory()) return [ledgerPath];
  return readdirSync(ledgerPath)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => path.join(ledgerPath, name))
    .map((file) => ({ file, modified: statSync(file).mtimeMs }))
    .sort((left, right) => left.modified - right.modified)
    .map((entry) => entry.file);
}

function readTail(file: string, maxBytes: number): { read: LedgerEntry[]; size: number } {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'r');
  } catch {
    return { read: [], size: 0 };
  }
  try {
    const size = fstatSync(descriptor).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    const bytes = readSync(descriptor, buffer, 0, buffer.length, start);
    const lines = buffer.subarray(0, bytes).toString('utf8').split('\n');
    if (start > 0) lines.shift();
    const read = lines.flatMap((line) => {
      const entry = line.trim() === '' ? undefined : parseLedgerLine(line);
      return entry ? [entry] : [];
    });
    return { read, size: size - start };
  } finally {
    closeSync(descriptor);
  }
}
