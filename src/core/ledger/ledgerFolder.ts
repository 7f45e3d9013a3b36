import { createReadStream } from 'node:fs';
import { appendFile, link, mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Segment files end in this; anything else in the folder (the rollups folder, temporary files) is not a segment. */
const SEGMENT_EXTENSION = '.jsonl';
/** The folder, inside a ledger folder, that holds one rollup per segment. */
const ROLLUPS_FOLDER = 'rollups';

/**
 * Where a segmented ledger keeps its files. A ledger folder (e.g. `.promptmeter/ledger`) holds append-only JSONL
 * segments, one per UTC month of the entries' `time` (`2026-11.jsonl`; an old ledger's lines of a month
 * that already had a segment when it was split sit beside it as `2026-11.legacy-….jsonl`), and `rollups/<segment>.rollup`, the daily rollups of each segment (a cache that is
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

  /** The month of a month segment's name (`2026-11.jsonl`, `2026-11.legacy-….jsonl` → `2026-11`), else undefined. */
  monthOf(segmentName: string): string | undefined {
    return /^(\d{4}-\d{2})(\.legacy-[^/]*)?\.jsonl$/.exec(segmentName)?.[1];
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

/** A claimed old ledger being split (renamed, so no other process reads it as a segment or splits it too). */
const CLAIMED = '.splitting';
/** A claimed old ledger whose month files are all written: only their moving into place is left. */
const SPLIT = '.split';
/** A claim older than this was left by a process that died; another process may take it over. */
const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * Moves an old single-file ledger beside `folder` (`ledger.jsonl`), and any whole-file segment an earlier version
 * migrated into it (`migrated-….jsonl`), into month segments: once, without loss, whoever else migrates, appends or
 * reads at the same time.
 *
 * 1. The file is claimed by one atomic rename (`<id>.splitting`); whoever loses the rename does nothing.
 * 2. Its lines are copied, in order, into one file per UTC month of their `time` in a staging folder (`.<id>/`);
 *    a line that is not an entry (torn, foreign) goes with the line before it, so nothing is dropped.
 * 3. The claim is renamed `<id>.split`: the copies are complete.
 * 4. Each month file is moved into place by rename: `2026-10.jsonl` when that segment does not exist yet (a link,
 *    so an existing one is never replaced), else `2026-10.legacy-<id>.jsonl` beside it (segments are never
 *    rewritten while a writer may be appending to them). Then the claim and the staging folder are removed.
 *
 * A process that dies in step 2 leaves a claim that is split again from the start (the partial copies are
 * discarded); one that dies in step 4 leaves a `.split` claim whose remaining files are moved. Claims are taken
 * over only once they are old (another process may still be working on them). A writer of an older version that
 * appends to the old path creates a new file there, which the next call moves too. Returns whether a file moved.
 */
export async function migrateLegacyLedger(folder: string, now: Date = new Date()): Promise<boolean> {
  const sources = [LedgerFolder.legacyFileOf(folder)];
  let names: string[] = [];
  try {
    names = await readdir(folder);
  } catch {
    // No folder yet: only the old file can exist.
  }
  for (const name of names) if (/^migrated-.*\.jsonl$/.test(name)) sources.push(path.join(folder, name));
  let moved = false;
  for (const source of sources) {
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
    if (!(await isFile(source))) continue;
    await mkdir(folder, { recursive: true });
    const claim = path.join(folder, `${id}${CLAIMED}`);
    try {
      await rename(source, claim);
    } catch (error) {
      // Another process claimed it first.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      await splitClaim(folder, id, claim, now);
    } catch (error) {
      await giveBack(folder, id, claim, source);
      throw error;
    }
    moved = true;
  }
  // Claims left by a process that died.
  for (const name of names) {
    const stale = /^(.*)(\.splitting|\.split)$/.exec(name);
    if (!stale) continue;
    const file = path.join(folder, name);
    try {
      if (now.getTime() - (await stat(file)).mtimeMs < STALE_CLAIM_MS) continue;
    } catch {
      continue;
    }
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`;
    const taken = path.join(folder, `${id}${stale[2]}`);
    try {
      await rename(file, taken);
    } catch {
      continue;
    }
    if (stale[2] === SPLIT) {
      await rename(path.join(folder, `.${stale[1]}`), path.join(folder, `.${id}`)).catch(() => undefined);
      await placeMonths(folder, id, taken);
    } else await splitClaim(folder, id, taken, now);
    moved = true;
  }
  return moved;
}

/**
 * After a failed split (a full disk, a folder that turned read-only): the staged copies are removed and a claim
 * that is still whole goes back where it was (unless a new file is there), so it is read, and split, again.
 */
async function giveBack(folder: string, id: string, claim: string, source: string): Promise<void> {
  // Copied in full (the claim is now `.split`): the staged months are all there is; they are moved later.
  if (!(await isFile(claim))) return;
  await rm(path.join(folder, `.${id}`), { recursive: true, force: true }).catch(() => undefined);
  try {
    await link(claim, source);
    await unlink(claim);
  } catch {
    // Left as a claim: taken over once it is old.
  }
}

/** Steps 2–4 of {@link migrateLegacyLedger} for the claimed file `claim`. */
async function splitClaim(folder: string, id: string, claim: string, now: Date): Promise<void> {
  const staging = path.join(folder, `.${id}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const pending = new Map<string, string[]>();
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    for (const [month, lines] of pending)
      await appendFile(path.join(staging, `${month}.jsonl`), lines.join(''), 'utf8');
    pending.clear();
    pendingBytes = 0;
  };
  let month: string | undefined;
  const input = createReadStream(claim, { encoding: 'utf8' });
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    const time = timeOf(line);
    if (time !== undefined) month = LedgerFolder.segmentNameOf(time, now).slice(0, 7);
    const target = month ?? LedgerFolder.segmentNameOf('', now).slice(0, 7);
    let lines = pending.get(target);
    if (!lines) pending.set(target, (lines = []));
    // Every line ends in a newline in its segment, a torn last line too (so the next append starts a new line).
    lines.push(`${line}\n`);
    pendingBytes += line.length;
    if (pendingBytes >= 4 * 1024 * 1024) await flush();
  }
  await flush();
  const split = path.join(folder, `${id}${SPLIT}`);
  await rename(claim, split);
  await placeMonths(folder, id, split);
}

/** Step 4: moves the month files of the staging folder into place, then removes the claim and the folder. */
async function placeMonths(folder: string, id: string, claim: string): Promise<void> {
  const staging = path.join(folder, `.${id}`);
  let files: string[] = [];
  try {
    files = (await readdir(staging)).filter((name) => name.endsWith(SEGMENT_EXTENSION)).sort();
  } catch {
    // Nothing left to move.
  }
  for (const name of files) {
    const from = path.join(staging, name);
    try {
      await link(from, path.join(folder, name));
      await unlink(from);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Linked by a process that died before it removed the staged name: already in place.
      if (await sameFile(from, path.join(folder, name))) await unlink(from);
      else await rename(from, path.join(folder, `${name.slice(0, 7)}.legacy-${id}${SEGMENT_EXTENSION}`));
    }
  }
  await unlink(claim).catch(() => undefined);
  await rm(staging, { recursive: true, force: true });
}

/** The `time` of a ledger line, when it is a JSON object with a time that parses. */
function timeOf(line: string): string | undefined {
  try {
    const parsed = JSON.parse(line) as { time?: unknown } | null;
    return parsed && typeof parsed.time === 'string' && Number.isFinite(Date.parse(parsed.time))
      ? parsed.time
      : undefined;
  } catch {
    return undefined;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function sameFile(left: string, right: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([stat(left), stat(right)]);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
