import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { PriceLookup } from './priceLookup';
import { dayKey } from './reportPeriods';
import { isPaidCall, savingsOfEntry } from './savings';

/** A time as written in the ledger and as milliseconds, to compare without parsing again. */
export interface LedgerTime {
  readonly ms: number;
  readonly time: string;
}

/**
 * The totals of all ledger entries of one local day × model × source × run: a flat array of numbers, the same in memory and
 * on disk (a million calls roll up into a few hundred thousand rows; objects per row would cost more to parse,
 * keep and collect than the numbers themselves). Texts are indexes into the rollup's `strings` (-1: none).
 * `outcomes` and `endpoints` are `[name, calls, knownUsd, unpriced]…` for whatever values the ledger holds (a new
 * outcome such as `truncated` needs no change here); `savings` is `[cause, detail, knownUsd, unpriced, evidence]…`.
 * `job` is the job id every entry shares, -1 when none has one, -2 when they differ. Tokens are of paid calls only
 * (a cache hit's usage was not billed again). Times are
 * milliseconds (the ledger's own text of the first and last time is kept per rollup).
 */
export type RollupRow = [
  day: number, model: number, source: number, runId: number,
  calls: number, cacheHits: number, inputTokens: number, cachedTokens: number, outputTokens: number,
  spendKnown: number, spendUnpriced: number, savedKnown: number, savedUnpriced: number,
  firstMs: number, lastMs: number,
  job: number, errorMs: number, errorMessage: number,
  outcomes: number[], endpoints: number[], savings: number[],
];

/** Positions in a {@link RollupRow}. */
export const ROW = {
  day: 0, model: 1, source: 2, runId: 3, calls: 4, cacheHits: 5, inputTokens: 6, cachedTokens: 7, outputTokens: 8,
  spendKnown: 9, spendUnpriced: 10, savedKnown: 11, savedUnpriced: 12, firstMs: 13, lastMs: 14,
  job: 15, errorMs: 16, errorMessage: 17, outcomes: 18, endpoints: 19, savings: 20,
} as const;

/** `job` of a row whose entries have no job id, or different ones. */
export const NO_JOB = -1;
export const MIXED_JOBS = -2;
/** Characters of an API error message kept for a run's `lastError`. */
const ERROR_TEXT_LIMIT = 500;

/**
 * Daily rollups of ledger entries: what the cost report needs from every entry, without the entries. Built by
 * adding entries in any order (the totals do not depend on it); one per ledger segment, kept on disk by
 * `LedgerReader`. Savings are priced when an entry is added, so a rollup belongs to one price table.
 */
export class Rollup {
  readonly strings: string[];
  readonly rows: RollupRow[];
  /** Lines that were not a valid entry (torn by a crash, or foreign text). */
  skippedLines = 0;
  /** Entries whose `time` does not parse (not in any row). */
  unreadableTimes = 0;
  first: LedgerTime | null = null;
  last: LedgerTime | null = null;
  /** Built when the first entry is added: a rollup read from disk may never need them. */
  private stringIndex: Map<string, number> | undefined;
  private rowIndex: Map<string, RollupRow> | undefined;
  /** The local day (its string index) of each quarter hour seen: every time zone's offset is whole quarter hours. */
  private readonly days = new Map<number, number>();

  /** @param stored strings and rows read back from disk (see `decodeRollup`), to add to */
  constructor(
    private readonly pricing: PriceLookup,
    stored: { readonly strings: string[]; readonly rows: RollupRow[] } = { strings: [], rows: [] },
  ) {
    this.strings = stored.strings;
    this.rows = stored.rows;
  }

  /** The text at `index` of `strings`, or null for -1. */
  text(index: number): string | null {
    return index < 0 ? null : (this.strings[index] ?? null);
  }

  /** Adds one entry. */
  add(entry: LedgerEntry): void {
    const ms = Date.parse(entry.time);
    if (!Number.isFinite(ms)) {
      this.unreadableTimes += 1;
      return;
    }
    const day = this.dayOf(ms);
    const { model, source, runId, jobId } = entry;
    const key = rowKey(day, model, source, runId);
    this.rowIndex ??= new Map(this.rows.map((row) => [rowKey(row[ROW.day], this.text(row[ROW.model]) ?? '', this.text(row[ROW.source]), this.text(row[ROW.runId])), row]));
    let row = this.rowIndex.get(key);
    if (!row) {
      row = [day, this.ref(model), this.ref(source), this.ref(runId), 0, 0, 0, 0, 0, 0, 0, 0, 0, ms, ms, this.ref(jobId), 0, -1, [], [], []];
      this.rowIndex.set(key, row);
      this.rows.push(row);
    } else if (row[ROW.job] !== MIXED_JOBS && this.text(row[ROW.job]) !== (jobId ?? null)) row[ROW.job] = MIXED_JOBS;
    row[ROW.calls] += 1;
    if (isPaidCall(entry)) {
      row[ROW.inputTokens] += entry.usage.promptTokens;
      row[ROW.cachedTokens] += entry.usage.cachedTokens;
      row[ROW.outputTokens] += entry.usage.completionTokens;
    } else row[ROW.cacheHits] += 1;
    addMoney(row, ROW.spendKnown, entry.costUsd);
    for (const saving of savingsOfEntry(entry, this.pricing)) {
      addMoney(row, ROW.savedKnown, saving.usd);
      const savings = row[ROW.savings];
      let at = 0;
      while (at < savings.length && (this.strings[savings[at]!] !== saving.cause || this.strings[savings[at + 1]!] !== saving.detail)) at += 5;
      if (at === savings.length) savings.push(this.ref(saving.cause), this.ref(saving.detail), 0, 0, 0);
      addMoney(savings, at + 2, saving.usd);
      savings[at + 4]! += 1;
    }
    this.count(row[ROW.outcomes], String(entry.outcome), entry.costUsd);
    this.count(row[ROW.endpoints], String(entry.endpoint), entry.costUsd);
    if (ms < row[ROW.firstMs]) row[ROW.firstMs] = ms;
    if (ms > row[ROW.lastMs]) row[ROW.lastMs] = ms;
    if (entry.outcome === 'error' && entry.error?.message && (row[ROW.errorMessage] < 0 || ms >= row[ROW.errorMs])) {
      row[ROW.errorMs] = ms;
      row[ROW.errorMessage] = this.ref(entry.error.message.slice(0, ERROR_TEXT_LIMIT));
    }
    if (!this.first || ms < this.first.ms) this.first = { ms, time: entry.time };
    if (!this.last || ms >= this.last.ms) this.last = { ms, time: entry.time };
  }

  /** The index of `text` in `strings` (added when new); -1 for undefined. */
  private ref(text: string | undefined): number {
    if (text === undefined) return -1;
    this.stringIndex ??= new Map(this.strings.map((value, index) => [value, index]));
    let index = this.stringIndex.get(text);
    if (index === undefined) this.stringIndex.set(text, (index = this.strings.push(text) - 1));
    return index;
  }

  /** Compact the index of rows after a bulk read (it is rebuilt if an entry is added later). */
  dropIndex(): void {
    this.rowIndex = undefined;
    this.stringIndex = undefined;
  }

  private count(list: number[], name: string, usd: number | null | undefined): void {
    let at = 0;
    while (at < list.length && this.strings[list[at]!] !== name) at += 4;
    if (at === list.length) list.push(this.ref(name), 0, 0, 0);
    list[at + 1]! += 1;
    addMoney(list, at + 2, usd);
  }

  private dayOf(ms: number): number {
    const quarter = Math.floor(ms / 900_000);
    let day = this.days.get(quarter);
    if (day === undefined) this.days.set(quarter, (day = this.ref(dayKey(new Date(ms)))));
    return day;
  }
}

/** The key of a row: texts length-prefixed, so no two rows share one (one map lookup per entry). */
function rowKey(day: number, model: string, source: string | null | undefined, runId: string | null | undefined): string {
  return `${day}|${model.length}:${model}|${keyPart(source)}|${keyPart(runId)}`;
}

function keyPart(value: string | null | undefined): string {
  return value === null || value === undefined ? '-' : `${value.length}:${value}`;
}

/** Adds a figure that may be unknown (null, undefined, not finite) at `[at]` (known USD) and `[at + 1]` (unpriced). */
function addMoney(values: Array<number | unknown>, at: number, usd: number | null | undefined): void {
  if (typeof usd === 'number' && Number.isFinite(usd)) (values as number[])[at]! += usd;
  else (values as number[])[at + 1]! += 1;
}

/** A rollup of `entries` in memory (what the report of a list of entries is built from). */
export function rollupOf(entries: Iterable<LedgerEntry>, pricing: PriceLookup): Rollup {
  const rollup = new Rollup(pricing);
  for (const entry of entries) rollup.add(entry);
  return rollup;
}
