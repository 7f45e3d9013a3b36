import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { PriceLookup } from './priceLookup';
import { timeMs } from './ledgerTime';
import { dayKey } from './reportPeriods';
import { isPaidCall, savingsOfEntry } from './savings';

/** A time as written in the ledger and as milliseconds, to compare without parsing again. */
export interface LedgerTime {
  readonly ms: number;
  readonly time: string;
}

/**
 * The columns of a rollup row: the totals of all ledger entries of one local day × model × source × run. Rows are
 * stored column-wise, one Float64Array per column (a million calls roll up into a few hundred thousand rows;
 * an object or array per row would cost more to build, keep, write and collect than the numbers themselves).
 * Texts (`day`, `model`, `source`, `runId`, `job`, `errorMessage`) are indexes into the rollup's `strings` (-1:
 * none). `job` is the job id every entry shares, -1 when none has one, -2 when they differ. Tokens are of paid
 * calls only (a cache hit's usage was not billed again). Times are milliseconds.
 */
export const COL = {
  day: 0,
  model: 1,
  source: 2,
  runId: 3,
  job: 4,
  errorMessage: 5,
  calls: 6,
  cacheHits: 7,
  inputTokens: 8,
  cachedTokens: 9,
  outputTokens: 10,
  spendKnown: 11,
  spendUnpriced: 12,
  savedKnown: 13,
  savedUnpriced: 14,
  firstMs: 15,
  lastMs: 16,
  errorMs: 17,
} as const;
export const ROW_COLUMNS = 18;

/**
 * The columns of a row's parts: calls by outcome and by endpoint (whatever values the ledger holds: a new outcome
 * such as `truncated` needs no change here) and savings by cause and detail. `count` is calls, or for a saving
 * the entries that are evidence of it; `knownUsd` / `unpriced` the spend (or saving) with a known price and the
 * number without one.
 */
export const PART = { row: 0, kind: 1, name: 2, detail: 3, count: 4, knownUsd: 5, unpriced: 6 } as const;
export const PART_COLUMNS = 7;
export const PART_KIND = { outcome: 0, endpoint: 1, saving: 2 } as const;

/** `job` of a row whose entries have no job id, or different ones. */
export const NO_JOB = -1;
export const MIXED_JOBS = -2;
/** Characters of an API error message kept for a run's `lastError`. */
const ERROR_TEXT_LIMIT = 500;
const INITIAL_CAPACITY = 64;

/** Columns as stored: `count` rows of each. */
export interface RollupColumns {
  readonly strings: string[];
  readonly rows: Float64Array[];
  readonly rowCount: number;
  readonly parts: Float64Array[];
  readonly partCount: number;
}

/**
 * Daily rollups of ledger entries: what the cost report needs from every entry, without the entries. Built by
 * adding entries in any order (the totals do not depend on it); one per ledger segment, kept on disk by
 * `LedgerReader`. Savings are priced when an entry is added, so a rollup belongs to one price table.
 */
export class Rollup {
  readonly strings: string[];
  /** One column per {@link COL}; the first `rowCount` values are rows. */
  rows: Float64Array[];
  rowCount: number;
  /** One column per {@link PART}; the first `partCount` values are parts. */
  parts: Float64Array[];
  partCount: number;
  /** Lines that were not a valid entry (torn by a crash, or foreign text). */
  skippedLines = 0;
  /** Entries whose `time` does not parse (not in any row). */
  unreadableTimes = 0;
  first: LedgerTime | null = null;
  last: LedgerTime | null = null;
  /** Built when the first entry is added: a rollup read from disk may never need them. */
  private index: RollupIndex | undefined;
  /** The local day (its string index) of each quarter hour seen: every time zone's offset is whole quarter hours. */
  private readonly days = new Map<number, number>();

  /** @param stored columns read back from disk (see `decodeRollup`), to add to */
  constructor(
    private readonly pricing: PriceLookup,
    stored?: RollupColumns,
  ) {
    this.strings = stored?.strings ?? [];
    this.rows = stored?.rows ?? columns(ROW_COLUMNS, INITIAL_CAPACITY);
    this.rowCount = stored?.rowCount ?? 0;
    this.parts = stored?.parts ?? columns(PART_COLUMNS, INITIAL_CAPACITY);
    this.partCount = stored?.partCount ?? 0;
  }

  /** The text at `index` of `strings`, or null for -1. */
  text(index: number): string | null {
    return index < 0 ? null : (this.strings[index] ?? null);
  }

  /** Adds one entry. */
  add(entry: LedgerEntry): void {
    const ms = timeMs(entry.time);
    if (!Number.isFinite(ms)) {
      this.unreadableTimes += 1;
      return;
    }
    const index = (this.index ??= this.buildIndex());
    const day = this.dayOf(ms, index);
    const model = cachedRef(index, this.strings, index.lastModel, entry.model);
    const source = ref(index, this.strings, entry.source);
    const runId = ref(index, this.strings, entry.runId);
    const job = ref(index, this.strings, entry.jobId);
    const hash = rowHash(day, model, source, runId);
    const rows = this.rows;
    let row = index.rowByHash.get(hash) ?? -1;
    while (
      row >= 0 &&
      !(
        rows[COL.day]![row] === day &&
        rows[COL.model]![row] === model &&
        rows[COL.source]![row] === source &&
        rows[COL.runId]![row] === runId
      )
    )
      row = index.nextRow[row]!;
    if (row < 0) {
      row = this.newRow(index, hash);
      const fresh = this.rows;
      fresh[COL.day]![row] = day;
      fresh[COL.model]![row] = model;
      fresh[COL.source]![row] = source;
      fresh[COL.runId]![row] = runId;
      fresh[COL.job]![row] = job;
      fresh[COL.errorMessage]![row] = -1;
      fresh[COL.firstMs]![row] = ms;
      fresh[COL.lastMs]![row] = ms;
    } else if (rows[COL.job]![row] !== MIXED_JOBS && rows[COL.job]![row] !== job) rows[COL.job]![row] = MIXED_JOBS;
    const totals = this.rows;
    totals[COL.calls]![row]! += 1;
    if (isPaidCall(entry)) {
      totals[COL.inputTokens]![row]! += entry.usage.promptTokens;
      totals[COL.cachedTokens]![row]! += entry.usage.cachedTokens;
      totals[COL.outputTokens]![row]! += entry.usage.completionTokens;
    } else totals[COL.cacheHits]![row]! += 1;
    addMoney(totals[COL.spendKnown]!, totals[COL.spendUnpriced]!, row, entry.costUsd);
    // Only these can be evidence of a saving (see savingsOfEntry): most entries skip the lookup.
    if (
      entry.cache !== 'miss' ||
      entry.batchApi ||
      entry.usage.cachedTokens > 0 ||
      entry.modelChangedFrom !== undefined ||
      entry.extra !== undefined
    ) {
      for (const saving of savingsOfEntry(entry, this.pricing)) {
        addMoney(this.rows[COL.savedKnown]!, this.rows[COL.savedUnpriced]!, row, saving.usd);
        const part = this.part(
          index,
          row,
          PART_KIND.saving,
          ref(index, this.strings, saving.cause),
          ref(index, this.strings, saving.detail),
        );
        addMoney(this.parts[PART.knownUsd]!, this.parts[PART.unpriced]!, part, saving.usd);
        this.parts[PART.count]![part]! += 1;
      }
    }
    this.countCall(
      index,
      row,
      PART_KIND.outcome,
      cachedRef(index, this.strings, index.lastOutcome, String(entry.outcome)),
      entry.costUsd,
    );
    this.countCall(
      index,
      row,
      PART_KIND.endpoint,
      cachedRef(index, this.strings, index.lastEndpoint, String(entry.endpoint)),
      entry.costUsd,
    );
    const after = this.rows;
    if (ms < after[COL.firstMs]![row]!) after[COL.firstMs]![row] = ms;
    if (ms > after[COL.lastMs]![row]!) after[COL.lastMs]![row] = ms;
    if (
      entry.outcome === 'error' &&
      entry.error?.message &&
      (after[COL.errorMessage]![row]! < 0 || ms >= after[COL.errorMs]![row]!)
    ) {
      after[COL.errorMs]![row] = ms;
      after[COL.errorMessage]![row] = ref(index, this.strings, entry.error.message.slice(0, ERROR_TEXT_LIMIT));
    }
    if (!this.first || ms < this.first.ms) this.first = { ms, time: entry.time };
    if (!this.last || ms >= this.last.ms) this.last = { ms, time: entry.time };
  }

  private countCall(index: RollupIndex, row: number, kind: number, name: number, usd: number | null | undefined): void {
    const part = this.part(index, row, kind, name, -1);
    this.parts[PART.count]![part]! += 1;
    addMoney(this.parts[PART.knownUsd]!, this.parts[PART.unpriced]!, part, usd);
  }

  /** Frees the indexes and spare capacity after a bulk read (the indexes are rebuilt if an entry is added later). */
  dropIndex(): void {
    this.index = undefined;
    this.rows = this.rows.map((column) => column.slice(0, this.rowCount));
    this.parts = this.parts.map((column) => column.slice(0, this.partCount));
  }

  private buildIndex(): RollupIndex {
    const index: RollupIndex = {
      strings: new Map(this.strings.map((value, at) => [value, at])),
      rowByHash: new Map(),
      nextRow: new Int32Array(this.rows[0]!.length),
      firstPart: new Int32Array(this.rows[0]!.length).fill(-1),
      nextPart: new Int32Array(this.parts[0]!.length),
      lastModel: { text: undefined, at: -1 },
      lastOutcome: { text: undefined, at: -1 },
      lastEndpoint: { text: undefined, at: -1 },
    };
    const rows = this.rows;
    for (let row = 0; row < this.rowCount; row += 1) {
      const hash = rowHash(
        rows[COL.day]![row]!,
        rows[COL.model]![row]!,
        rows[COL.source]![row]!,
        rows[COL.runId]![row]!,
      );
      index.nextRow[row] = index.rowByHash.get(hash) ?? -1;
      index.rowByHash.set(hash, row);
    }
    for (let part = 0; part < this.partCount; part += 1) {
      const row = this.parts[PART.row]![part]!;
      index.nextPart[part] = index.firstPart[row]!;
      index.firstPart[row] = part;
    }
    return index;
  }

  private newRow(index: RollupIndex, hash: number): number {
    const row = this.rowCount;
    if (row === this.rows[0]!.length) {
      this.rows = this.rows.map((column) => grown(column));
      index.nextRow = grownInt(index.nextRow);
      index.firstPart = grownInt(index.firstPart, -1);
    }
    this.rowCount += 1;
    index.nextRow[row] = index.rowByHash.get(hash) ?? -1;
    index.rowByHash.set(hash, row);
    return row;
  }

  /** The part of `row` of this kind, name and detail (added when new). */
  private part(index: RollupIndex, row: number, kind: number, name: number, detail: number): number {
    const parts = this.parts;
    for (let part = index.firstPart[row]!; part >= 0; part = index.nextPart[part]!) {
      if (parts[PART.kind]![part] === kind && parts[PART.name]![part] === name && parts[PART.detail]![part] === detail)
        return part;
    }
    const part = this.partCount;
    if (part === this.parts[0]!.length) {
      this.parts = this.parts.map((column) => grown(column));
      index.nextPart = grownInt(index.nextPart);
    }
    this.partCount += 1;
    const columns = this.parts;
    columns[PART.row]![part] = row;
    columns[PART.kind]![part] = kind;
    columns[PART.name]![part] = name;
    columns[PART.detail]![part] = detail;
    index.nextPart[part] = index.firstPart[row]!;
    index.firstPart[row] = part;
    return part;
  }

  private dayOf(ms: number, index: RollupIndex): number {
    const quarter = Math.floor(ms / 900_000);
    let day = this.days.get(quarter);
    if (day === undefined) this.days.set(quarter, (day = ref(index, this.strings, dayKey(new Date(ms)))));
    return day;
  }
}

/** What adding needs to find rows, parts and strings (not stored). */
interface RollupIndex {
  readonly strings: Map<string, number>;
  readonly rowByHash: Map<number, number>;
  /** Rows chained by hash, parts chained by row; -1 ends a chain. */
  nextRow: Int32Array;
  firstPart: Int32Array;
  nextPart: Int32Array;
  /** The last text of a field and its index: most entries repeat the last outcome and endpoint. */
  readonly lastModel: LastText;
  readonly lastOutcome: LastText;
  readonly lastEndpoint: LastText;
}

interface LastText {
  text: string | undefined;
  at: number;
}

/** {@link ref}, first comparing with the field's last text (cheaper than hashing a new string). */
function cachedRef(index: RollupIndex, strings: string[], last: LastText, text: string): number {
  if (last.text === text) return last.at;
  last.text = text;
  return (last.at = ref(index, strings, text));
}

/** The index of `text` in `strings` (added when new); -1 for undefined. */
function ref(index: RollupIndex, strings: string[], text: string | undefined): number {
  if (text === undefined) return -1;
  let at = index.strings.get(text);
  if (at === undefined) index.strings.set(text, (at = strings.push(text) - 1));
  return at;
}

function rowHash(day: number, model: number, source: number, runId: number): number {
  let hash = Math.imul(day + 1, 0x9e3779b1);
  hash = Math.imul(hash ^ (model + 1), 0x85ebca6b);
  hash = Math.imul(hash ^ (source + 1), 0xc2b2ae35);
  return Math.imul(hash ^ (runId + 1), 0x27d4eb2f);
}

function columns(count: number, capacity: number): Float64Array[] {
  return Array.from({ length: count }, () => new Float64Array(capacity));
}

function grown(column: Float64Array): Float64Array {
  const bigger = new Float64Array(Math.max(INITIAL_CAPACITY, column.length * 2));
  bigger.set(column);
  return bigger;
}

function grownInt(column: Int32Array, fill = 0): Int32Array {
  const bigger = new Int32Array(Math.max(INITIAL_CAPACITY, column.length * 2)).fill(fill);
  bigger.set(column);
  return bigger;
}

/** Adds a figure that may be unknown (null, undefined, not finite) to `known[at]` or counts it in `unpriced[at]`. */
function addMoney(known: Float64Array, unpriced: Float64Array, at: number, usd: number | null | undefined): void {
  if (typeof usd === 'number' && Number.isFinite(usd)) known[at]! += usd;
  else unpriced[at]! += 1;
}

/** A rollup of `entries` in memory (what the report of a list of entries is built from). */
export function rollupOf(entries: Iterable<LedgerEntry>, pricing: PriceLookup): Rollup {
  const rollup = new Rollup(pricing);
  for (const entry of entries) rollup.add(entry);
  return rollup;
}
