import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Rollup, type LedgerTime, type RollupRow } from './ledgerRollup';
import type { PriceLookup } from './priceLookup';

/** Bump when what a rollup holds, or how an entry is rolled up (e.g. a new saving cause), changes. */
export const ROLLUP_FORMAT = 1;
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

/**
 * `promptmeter-rollup <format> <crc32 of the rest>\n<JSON>`: a damaged or cut file fails the checksum. CRC-32
 * finds damage as well as a cryptographic hash does here (a rollup is a cache, not a trust boundary) at a
 * quarter of sha256's cost on the tens of MB a million calls roll up into.
 */
export function encodeRollup(rollup: Rollup, stamp: RollupStamp): string {
  const time = (value: LedgerTime | null) => (value ? [value.ms, value.time] : null);
  const body = JSON.stringify({
    ...stamp,
    skippedLines: rollup.skippedLines,
    unreadableTimes: rollup.unreadableTimes,
    first: time(rollup.first),
    last: time(rollup.last),
    strings: rollup.strings,
    rows: rollup.rows,
  });
  return `${MAGIC} ${ROLLUP_FORMAT} ${checksumOf(body)}\n${body}`;
}

/** The rollup and its stamp, or undefined when the text is not an intact rollup of this format. */
export function decodeRollup(text: string, pricing: PriceLookup): { rollup: Rollup; stamp: RollupStamp } | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const [magic, format, checksum] = text.slice(0, newline).split(' ');
  const body = text.slice(newline + 1);
  if (magic !== MAGIC || format !== String(ROLLUP_FORMAT) || checksum !== checksumOf(body)) return undefined;
  let parsed: RollupStamp & { skippedLines: number; unreadableTimes: number; first: [number, string] | null; last: [number, string] | null; strings: string[]; rows: RollupRow[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed.strings) || !Array.isArray(parsed.rows)) return undefined;
  const rollup = new Rollup(pricing, { strings: parsed.strings, rows: parsed.rows });
  rollup.skippedLines = parsed.skippedLines;
  rollup.unreadableTimes = parsed.unreadableTimes;
  rollup.first = parsed.first ? { ms: parsed.first[0], time: parsed.first[1] } : null;
  rollup.last = parsed.last ? { ms: parsed.last[0], time: parsed.last[1] } : null;
  const { segment, pricingKey, timeZone, bytes, head, tail } = parsed;
  return { rollup, stamp: { segment, pricingKey, timeZone, bytes, head, tail } };
}

function checksumOf(body: string): string {
  return crc32(body).toString(16).padStart(8, '0');
}

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
