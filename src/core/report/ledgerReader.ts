import { mkdir, open, readFile, rename, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LedgerFolder, migrateLegacyLedger } from '../ledger/ledgerFolder';
import { parseLedgerLine } from '../ledger/readLedger';
import { Rollup } from './ledgerRollup';
import type { PriceLookup } from './priceLookup';
import { decodeRollup, encodeRollup, localTimeZone, sha256, type RollupStamp } from './rollupFile';

/** Bytes read at a time, so a large segment is never held whole in memory. */
const PIECE_BYTES = 4 * 1024 * 1024;
/** Bytes of a segment hashed at its start and before the rolled-up offset, to recognise it. */
const STAMP_BYTES = 64 * 1024;
/** A rollup is written back once this many new bytes were rolled into it (and always after a rebuild). */
const DEFAULT_PERSIST_AFTER_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** Where a ledger is: a segmented folder (`.promptmeter/ledger`) or one JSONL file (`--ledger FILE`). */
export type LedgerLocation = { readonly folder: string } | { readonly file: string };

/** Options of {@link LedgerReader}. */
export interface LedgerReaderOptions {
  readonly pricing: PriceLookup;
  /**
   * Names the prices `pricing` gives (see `priceLookupKey`): a rollup on disk is used only with the same key.
   * Without one, rollups are kept in memory only (nothing is written).
   */
  readonly pricingKey?: string;
  /** Default 1 MiB. */
  readonly persistAfterBytes?: number;
}

/** What one read gave. */
export interface LedgerSnapshot {
  /** One per segment, each covering its complete lines. */
  readonly rollups: readonly Rollup[];
  /** Invalid lines, and a last line still without its newline (being appended, or torn by a crash). */
  readonly skippedLines: number;
  /** Segment bytes this read parsed (0 when nothing was appended since the last read). */
  readonly bytesRead: number;
  /** Segments rolled up again from their first byte (no usable rollup on disk). */
  readonly rebuilt: number;
}

interface SegmentState {
  readonly name: string;
  readonly file: string;
  identity: string;
  /** End of the last complete line rolled up. */
  bytes: number;
  rollup: Rollup;
  /** `bytes` of the rollup on disk (or loaded from it). */
  persistedBytes: number;
  /** Whether text without a newline follows `bytes`. */
  torn: boolean;
}

/**
 * Reads a ledger into daily rollups, reading as little of the log as it can: a segment's rollup on disk (checked
 * against the segment: size, hashes of its bytes, prices, time zone, checksum) plus the lines appended after it;
 * between reads of the same reader, only the bytes appended since. The log is the source of truth: a rollup that
 * does not match it is ignored and rebuilt. Reading a workspace folder first migrates its old single-file ledger.
 */
export class LedgerReader {
  private readonly states = new Map<string, SegmentState>();
  /** The latest month segment: the one appends go to. */
  private newest: string | undefined;

  constructor(
    readonly location: LedgerLocation,
    private readonly options: LedgerReaderOptions,
  ) {}

  async read(): Promise<LedgerSnapshot> {
    const segments = await this.segments();
    this.newest = segments
      .map((segment) => segment.name)
      .filter((name) => /^\d{4}-\d{2}\.jsonl$/.test(name))
      .sort()
      .at(-1);
    const counts = { bytesRead: 0, rebuilt: 0 };
    for (const name of [...this.states.keys()])
      if (!segments.some((segment) => segment.name === name)) this.states.delete(name);
    for (const segment of segments) await this.update(segment.name, segment.file, counts);
    const states = [...this.states.values()];
    const skippedLines = states.reduce((sum, state) => sum + state.rollup.skippedLines + (state.torn ? 1 : 0), 0);
    return { rollups: states.map((state) => state.rollup), skippedLines, ...counts };
  }

  /**
   * Entries at or after `since`, rolled up: for a range that does not start at local midnight. Reads the
   * segments holding entries from then on (after a {@link read}).
   */
  async rollupSince(since: Date): Promise<Rollup> {
    const result = new Rollup(this.options.pricing);
    const from = since.getTime();
    for (const state of this.states.values()) {
      if (!state.rollup.last || state.rollup.last.ms < from) continue;
      const handle = await open(state.file, 'r');
      try {
        await eachLine(handle, 0, state.bytes, (line) => {
          const entry = parseLedgerLine(line);
          if (entry && Date.parse(entry.time) >= from) result.add(entry);
        });
      } finally {
        await handle.close();
      }
    }
    return result;
  }

  private async segments(): Promise<Array<{ name: string; file: string }>> {
    if ('file' in this.location) return [{ name: path.basename(this.location.file), file: this.location.file }];
    const { folder } = this.location;
    await migrateLegacyLedger(folder).catch(() => false);
    const segments = (await LedgerFolder.segmentNames(folder)).map((name) => ({ name, file: path.join(folder, name) }));
    // When the old ledger could not be moved (a read-only folder), it is still read where it is.
    const legacy = LedgerFolder.legacyFileOf(folder);
    if (await isFile(legacy)) segments.push({ name: path.basename(legacy), file: legacy });
    return segments;
  }

  private async update(name: string, file: string, counts: { bytesRead: number; rebuilt: number }): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.states.delete(name);
      return;
    }
    try {
      const stats = await handle.stat();
      const identity = `${stats.dev}:${stats.ino}`;
      let state = this.states.get(name);
      if (!state || state.identity !== identity || stats.size < state.bytes) {
        state = await this.load(name, file, identity, handle, stats.size);
        if (state.bytes === 0 && stats.size > 0) counts.rebuilt += 1;
        this.states.set(name, state);
      }
      if (stats.size > state.bytes) {
        const target = state;
        const rollup = target.rollup;
        const { end, rest } = await eachLine(handle, target.bytes, stats.size, (line) => {
          const entry = parseLedgerLine(line);
          if (entry) rollup.add(entry);
          else rollup.skippedLines += 1;
        });
        counts.bytesRead += stats.size - target.bytes;
        target.bytes = end;
        target.torn = rest;
        // Only the newest month grows; the others' indexes would only hold memory.
        if (name !== this.newest) rollup.dropIndex();
      } else state.torn = false;
      const persistAfter = this.options.persistAfterBytes ?? DEFAULT_PERSIST_AFTER_BYTES;
      if (
        state.bytes > state.persistedBytes &&
        (state.persistedBytes === 0 || state.bytes - state.persistedBytes >= persistAfter)
      )
        await this.persist(state, handle);
    } finally {
      await handle.close();
    }
  }

  /** The segment's rollup from disk when it matches the segment, else an empty one to roll the segment into. */
  private async load(
    name: string,
    file: string,
    identity: string,
    handle: FileHandle,
    size: number,
  ): Promise<SegmentState> {
    const fresh: SegmentState = {
      name,
      file,
      identity,
      bytes: 0,
      rollup: new Rollup(this.options.pricing),
      persistedBytes: 0,
      torn: false,
    };
    const folder = this.rollupFolder();
    if (!folder || this.options.pricingKey === undefined) return fresh;
    let bytes: Buffer;
    try {
      bytes = await readFile(LedgerFolder.rollupFileOf(folder, name));
    } catch {
      return fresh;
    }
    const decoded = decodeRollup(bytes, this.options.pricing);
    if (!decoded) return fresh;
    const { stamp, rollup } = decoded;
    if (
      stamp.segment !== name ||
      stamp.pricingKey !== this.options.pricingKey ||
      stamp.timeZone !== localTimeZone() ||
      stamp.bytes > size
    )
      return fresh;
    const hashes = await stampHashes(handle, stamp.bytes);
    if (hashes.head !== stamp.head || hashes.tail !== stamp.tail) return fresh;
    return { ...fresh, bytes: stamp.bytes, rollup, persistedBytes: stamp.bytes };
  }

  /** Writes the rollup atomically (temporary file, then rename); a failure only costs the next reader time. */
  private async persist(state: SegmentState, handle: FileHandle): Promise<void> {
    const folder = this.rollupFolder();
    const pricingKey = this.options.pricingKey;
    if (!folder || pricingKey === undefined) return;
    const stamp: RollupStamp = {
      segment: state.name,
      pricingKey,
      timeZone: localTimeZone(),
      bytes: state.bytes,
      ...(await stampHashes(handle, state.bytes)),
    };
    const target = LedgerFolder.rollupFileOf(folder, state.name);
    const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(temporary, encodeRollup(state.rollup, stamp));
      await rename(temporary, target);
    } catch {
      await unlink(temporary).catch(() => undefined);
    }
    // Also after a failure (a read-only folder): tried again only after as many new bytes, not on every read.
    state.persistedBytes = state.bytes;
  }

  /** Rollups are kept only for a ledger folder (never beside a file named with `--ledger`). */
  private rollupFolder(): string | undefined {
    return 'folder' in this.location ? this.location.folder : undefined;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function stampHashes(handle: FileHandle, bytes: number): Promise<{ head: string; tail: string }> {
  const read = async (from: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, from);
    return buffer.subarray(0, bytesRead);
  };
  const headLength = Math.min(bytes, STAMP_BYTES);
  const tailStart = Math.max(0, bytes - STAMP_BYTES);
  return { head: sha256(await read(0, headLength)), tail: sha256(await read(tailStart, bytes - tailStart)) };
}

/**
 * Calls `onLine` for every complete, non-blank line in `[from, to)` of the file; returns the end of the last
 * complete line and whether text without a newline follows it.
 */
async function eachLine(
  handle: FileHandle,
  from: number,
  to: number,
  onLine: (line: string) => void,
): Promise<{ end: number; rest: boolean }> {
  // One buffer for the whole read (a new one per piece would be freed only when the GC gets to it): the part of a
  // line left at the end of a piece moves to its start, and the next piece is read after it.
  let buffer = Buffer.allocUnsafe(Math.min(PIECE_BYTES, Math.max(1, to - from)));
  let offset = from;
  let kept = 0;
  let end = from;
  while (offset < to) {
    if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const { bytesRead } = await handle.read(buffer, kept, Math.min(buffer.length - kept, to - offset), offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
    const bytes = buffer.subarray(0, kept + bytesRead);
    const base = offset - bytes.length;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline >= 0; newline = bytes.indexOf(NEWLINE, start)) {
      const line = bytes.toString('utf8', start, newline);
      start = newline + 1;
      end = base + start;
      if (line.trim() !== '') onLine(line);
    }
    bytes.copy(buffer, 0, start);
    kept = bytes.length - start;
  }
  return { end, rest: buffer.toString('utf8', 0, kept).trim() !== '' };
}
