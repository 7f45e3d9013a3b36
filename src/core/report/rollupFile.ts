import { createHash } from 'node:crypto';
import { emptyRow, Rollup, rowKey, type CallSpend, type LedgerTime, type RollupRow } from './ledgerRollup';
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

type Tuple = [string, number, number, number, ...unknown[]];

/** The local time zone rows are computed in. */
export function localTimeZone(): string {
  return `${Intl.DateTimeFormat().resolvedOptions().timeZone} ${process.env.TZ ?? ''}`.trim();
}

/** `promptmeter-rollup <format> <sha256 of the rest>\n<JSON>`: a damaged or cut file fails the checksum. */
export function encodeRollup(rollup: Rollup, stamp: RollupStamp): string {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (text: string | null): number => {
    if (text === null) return -1;
    let at = index.get(text);
    if (at === undefined) index.set(text, (at = strings.push(text) - 1));
    return at;
  };
  const flat = (map: Map<string, CallSpend>): number[] => [...map].flatMap(([key, value]) => [ref(key), value.calls, value.known, value.unpriced]);
  const rows: unknown[] = [];
  for (const row of rollup.rows.values()) {
    rows.push([
      row.day, ref(row.model), ref(row.source), ref(row.runId),
      row.calls, row.cacheHits, row.inputTokens, row.cachedTokens, row.outputTokens,
      row.spend.known, row.spend.unpriced, row.saved.known, row.saved.unpriced,
      row.first.ms, row.first.time, row.last.ms, row.last.time,
      row.job === false ? -2 : ref(row.job),
      row.lastError ? [row.lastError.ms, row.lastError.time, row.lastError.message] : null,
      flat(row.outcomes), flat(row.endpoints),
      [...row.savings.values()].flatMap((part) => [ref(part.cause), ref(part.detail), part.known, part.unpriced, part.evidence]),
    ]);
  }
  const time = (value: LedgerTime | null) => (value ? [value.ms, value.time] : null);
  const body = JSON.stringify({
    ...stamp,
    skippedLines: rollup.skippedLines,
    unreadableTimes: rollup.unreadableTimes,
    first: time(rollup.first),
    last: time(rollup.last),
    strings,
    rows,
  });
  return `${MAGIC} ${ROLLUP_FORMAT} ${sha256(body)}\n${body}`;
}

/** The rollup and its stamp, or undefined when the text is not an intact rollup of this format. */
export function decodeRollup(text: string, pricing: PriceLookup): { rollup: Rollup; stamp: RollupStamp } | undefined {
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const [magic, format, checksum] = text.slice(0, newline).split(' ');
  const body = text.slice(newline + 1);
  if (magic !== MAGIC || format !== String(ROLLUP_FORMAT) || checksum !== sha256(body)) return undefined;
  try {
    const parsed = JSON.parse(body) as RollupStamp & {
      skippedLines: number; unreadableTimes: number; first: [number, string] | null; last: [number, string] | null; strings: string[]; rows: Tuple[];
    };
    const { strings } = parsed;
    const text = (at: number): string | null => (at < 0 ? null : strings[at]!);
    const rollup = new Rollup(pricing);
    rollup.skippedLines = parsed.skippedLines;
    rollup.unreadableTimes = parsed.unreadableTimes;
    rollup.first = parsed.first ? { ms: parsed.first[0], time: parsed.first[1] } : null;
    rollup.last = parsed.last ? { ms: parsed.last[0], time: parsed.last[1] } : null;
    for (const tuple of parsed.rows) {
      const [day, model, source, runId, ...rest] = tuple;
      const [calls, cacheHits, inputTokens, cachedTokens, outputTokens, spendKnown, spendUnpriced, savedKnown, savedUnpriced] = rest as number[];
      const [firstMs, firstTime, lastMs, lastTime, job, lastError, outcomes, endpoints, savings] = rest.slice(9) as [
        number, string, number, string, number, [number, string, string] | null, number[], number[], number[],
      ];
      const row: RollupRow = emptyRow(day, text(model)!, text(source), text(runId), { ms: firstMs, time: firstTime }, job === -2 ? false : text(job));
      Object.assign(row, { calls, cacheHits, inputTokens, cachedTokens, outputTokens });
      Object.assign(row.spend, { known: spendKnown, unpriced: spendUnpriced });
      Object.assign(row.saved, { known: savedKnown, unpriced: savedUnpriced });
      row.last = { ms: lastMs, time: lastTime };
      row.lastError = lastError ? { ms: lastError[0], time: lastError[1], message: lastError[2] } : null;
      unflat(outcomes, row.outcomes, text);
      unflat(endpoints, row.endpoints, text);
      for (let at = 0; at + 4 < savings.length; at += 5) {
        const cause = text(savings[at]!)!;
        const detail = text(savings[at + 1]!)!;
        row.savings.set(`${cause}\n${detail}`, { cause, detail, known: savings[at + 2]!, unpriced: savings[at + 3]!, evidence: savings[at + 4]! });
      }
      rollup.rows.set(rowKey(row.day, row.model, row.source, row.runId), row);
    }
    const { segment, pricingKey, timeZone, bytes, head, tail } = parsed;
    return { rollup, stamp: { segment, pricingKey, timeZone, bytes, head, tail } };
  } catch {
    return undefined;
  }
}

function unflat(values: number[], into: Map<string, CallSpend>, text: (at: number) => string | null): void {
  for (let at = 0; at + 3 < values.length; at += 4) into.set(text(values[at]!)!, { calls: values[at + 1]!, known: values[at + 2]!, unpriced: values[at + 3]! });
}

/** sha256 hex of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
