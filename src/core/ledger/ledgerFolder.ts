import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Segment files end in this; anything else in the folder (the rollups folder, temporary files) is not a segment. */
const SEGMENT_EXTENSION = '.jsonl';
/** The folder, inside a ledger folder, that holds one rollup per segment. */
const ROLLUPS_FOLDER = 'rollups';

/**
 * Where a segmented ledger keeps its files. A ledger folder (e.g. `.promptmeter/ledger`) holds append-only JSONL
 * segments, one per UTC month of the entries' `time` (`2026-11.jsonl`), plus any single-file ledger migrated into
 * it (`migrated-….jsonl`), and `rollups/<segment>.rollup`, the daily rollups of each segment (a cache that is
 * rebuilt from the segment when missing, stale or damaged). The single-file ledger it replaces is the folder's
 * name + `.jsonl` (`.promptmeter/ledger.jsonl`).
 */
export const LedgerFolder = {
  /** `2026-11.jsonl` for an entry of November 2026 (UTC); entries whose time does not parse go to `now`'s month. */
  segmentNameOf(time: string, now: Date = new Date()): string {
    const parsed = Date.parse(time);
    const date = Number.isFinite(parsed) ? new Date(parsed) : now;
    return `${date.toISOString().slice(0, 7)}${SEGMENT_EXTENSION}`;
  },

  /** The single-file ledger that `folder` replaces (`.promptmeter/ledger` → `.promptmeter/ledger.jsonl`). */
  legacyFileOf(folder: string): string {
    return `${folder}${SEGMENT_EXTENSION}`;
  },

  /** Where the rollup of `segmentName` is kept. */
  rollupFileOf(folder: string, segmentName: string): string {
    return path.join(folder, ROLLUPS_FOLDER, `${segmentName}.rollup`);
  },

  /** The segment names in `folder`, sorted (month segments in time order); none when the folder is missing. */
  async segmentNames(folder: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names.filter((name) => name.endsWith(SEGMENT_EXTENSION)).sort();
  },
};

/**
 * Moves the single-file ledger beside `folder` into it as one more segment, so no entry is lost and none is
 * counted twice: one atomic rename, whoever else migrates or reads at the same time. A writer of an older
 * version that still appends to the old path creates a new file there, which the next call migrates too.
 * Returns whether a file was moved.
 */
export async function migrateLegacyLedger(folder: string, now: Date = new Date()): Promise<boolean> {
  const legacy = LedgerFolder.legacyFileOf(folder);
  try {
    if (!(await stat(legacy)).isFile()) return false;
  } catch {
    return false;
  }
  await mkdir(folder, { recursive: true });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  try {
    await rename(legacy, path.join(folder, `migrated-${stamp}-${randomBytes(4).toString('hex')}${SEGMENT_EXTENSION}`));
    return true;
  } catch (error) {
    // Another process moved it first.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
