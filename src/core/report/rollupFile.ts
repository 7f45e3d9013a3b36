import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PART_COLUMNS, ROW_COLUMNS, Rollup, type LedgerTime } from './ledgerRollup';
import type { PriceLookup } from './priceLookup';

/** Bump when what a rollup holds, or how an entry is rolled up (e.g. a new saving cause), changes. */
export const ROLLUP_FORMAT = 2;
const MAGIC = 'promptmeter-rollup';

/**
 * What a rollup on disk was computed from: the segment's bytes `[0, bytes)` (identified by hashes of their first
 * and last 64 KiB), the prices and the local time zone (rows are local days). A rollup is used only when all of
 * them still hold; otherwise the segment is rolled up again from its lines.
 */
export interface RollupStamp {
  readonly segment: string;
  readonly pricingKey: string;
  readonly timeZone: string;
  /** Bytes of the segment rolled up: always the end of a complete line. */
  readonly bytes: number;
  /** sha256 hex of the segment's first min(bytes, 64 KiB) bytes, and of the 64 KiB before `bytes`. */
  readonly head: string;
  readonly tail: string;
}

/** The local time zone rows are computed in. */
export function localTimeZone(): string {
  return `${Intl.DateTimeFormat().resolvedOptions().timeZone} ${process.env.TZ ?? ''}`.trim();
}

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * `promptmeter-rollup <format> <byte order> <crc32 of the rest>\n<JSON of the stamp, counts and strings>\n`, then
 * the columns as raw float64s (rows, then parts): read back with one copy per column, without parsing a number.
 * A damaged or cut file fails the checksum or the length check. CRC-32 finds damage as well as a cryptographic
 * hash does here (a rollup is a cache, not a trust boundary) at a fraction of sha256's cost.
 */
export function encodeRollup(rollup: Rollup, stamp: RollupStamp): Buffer {
  const time = (value: LedgerTime | null) => (value ? [value.ms, value.time] : null);
  const meta = Buffer.from(
    `${JSON.stringify({
      ...stamp,
      skippedLines: rollup.skippedLines,
      unreadableTimes: rollup.unreadableTimes,
      first: time(rollup.first),
      last: time(rollup.last),
      rowCount: rollup.rowCount,
      partCount: rollup.partCount,
      strings: rollup.strings,
    })}\n`,
    'utf8',
  );
  const pieces: Buffer[] = [meta];
  for (const column of rollup.rows) pieces.push(Buffer.from(column.buffer, column.byteOffset, rollup.rowCount * 8));
  for (const column of rollup.parts) pieces.push(Buffer.from(column.buffer, column.byteOffset, rollup.partCount * 8));
  let checksum = 0;
  for (const piece of pieces) checksum = crc32(piece, checksum);
  return Buffer.concat([
    Buffer.from(`${MAGIC} ${ROLLUP_FORMAT} ${endianness()} ${checksum.toString(16).padStart(8, '0')}\n`),
    ...pieces,
  ]);
}

/** The rollup and its stamp, or undefined when the bytes are not an intact rollup of this format. */
export function decodeRollup(bytes: Buffer, pricing: PriceLookup): { rollup: Rollup; stamp: RollupStamp } | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0 || newline > 200) return undefined;
  const [magic, format, order, checksum] = bytes.toString('latin1', 0, newline).split(' ');
  if (magic !== MAGIC || format !== String(ROLLUP_FORMAT) || order !== endianness()) return undefined;
  const body = bytes.subarray(newline + 1);
  if (checksum !== crc32(body).toString(16).padStart(8, '0')) return undefined;
  const metaEnd = body.indexOf(0x0a);
  if (metaEnd < 0) return undefined;
  let parsed: RollupStamp & {
    skippedLines: number;
    unreadableTimes: number;
    first: [number, string] | null;
    last: [number, string] | null;
    strings: string[];
    rowCount: number;
    partCount: number;
  };
  try {
    parsed = JSON.parse(body.toString('utf8', 0, metaEnd)) as typeof parsed;
  } catch {
    return undefined;
  }
  const { rowCount, partCount } = parsed;
  if (
    !Array.isArray(parsed.strings) ||
    !Number.isInteger(rowCount) ||
    !Number.isInteger(partCount) ||
    rowCount < 0 ||
    partCount < 0
  )
    return undefined;
  if (body.length - metaEnd - 1 !== (rowCount * ROW_COLUMNS + partCount * PART_COLUMNS) * 8) return undefined;
  let offset = metaEnd + 1;
  const column = (count: number): Float64Array => {
    const values = new Float64Array(count);
    new Uint8Array(values.buffer).set(body.subarray(offset, offset + count * 8));
    offset += count * 8;
    return values;
  };
  const rows = Array.from({ length: ROW_COLUMNS }, () => column(rowCount));
  const parts = Array.from({ length: PART_COLUMNS }, () => column(partCount));
  const rollup = new Rollup(pricing, { strings: parsed.strings, rows, rowCount, parts, partCount });
  rollup.skippedLines = parsed.skippedLines;
  rollup.unreadableTimes = parsed.unreadableTimes;
  rollup.first = parsed.first ? { ms: parsed.first[0], time: parsed.first[1] } : null;
  rollup.last = parsed.last ? { ms: parsed.last[0], time: parsed.last[1] } : null;
  const { segment, pricingKey, timeZone, bytes: rolledBytes, head, tail } = parsed;
  return { rollup, stamp: { segment, pricingKey, timeZone, bytes: rolledBytes, head, tail } };
}

function endianness(): string {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'le' : 'be';
}
