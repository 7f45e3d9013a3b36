import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { PriceLookup } from './priceLookup';
import { dayKey } from './reportPeriods';
import { isPaidCall, savingsOfEntry } from './savings';

/** A USD figure of which some parts may be unknown: the known sum and how many parts had no price. */
export interface MoneyParts {
  known: number;
  unpriced: number;
}

/** Calls and spend of one outcome or endpoint value inside a row. */
export interface CallSpend extends MoneyParts {
  calls: number;
}

/** A saving of one cause and detail inside a row (see `savingsOfEntry`). */
export interface SavingPart extends MoneyParts {
  readonly cause: string;
  readonly detail: string;
  /** Entries that are evidence of it. */
  evidence: number;
}

/** A time as written in the ledger and as milliseconds, to compare without parsing again. */
export interface LedgerTime {
  readonly ms: number;
  readonly time: string;
}

/**
 * The totals of all ledger entries of one local day × model × source × run. Outcomes and endpoints are counted
 * by value, whatever values the ledger holds (a new outcome such as `truncated` needs no change here).
 */
export interface RollupRow {
  /** `YYYY-MM-DD`, local time. */
  readonly day: string;
  readonly model: string;
  readonly source: string | null;
  readonly runId: string | null;
  calls: number;
  /** Entries answered from a cache tier or by another call (no HTTP call made). */
  cacheHits: number;
  /** Tokens of paid calls only (a cache hit's usage was not billed again). */
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  readonly spend: MoneyParts;
  /** All savings of its entries. */
  readonly saved: MoneyParts;
  /** By `${cause}\n${detail}`. */
  readonly savings: Map<string, SavingPart>;
  readonly outcomes: Map<string, CallSpend>;
  readonly endpoints: Map<string, CallSpend>;
  first: LedgerTime;
  last: LedgerTime;
  /** The job id every entry of the row shares; null when none has one; false when they differ. */
  job: string | null | false;
  /** The latest failed call's message (API text). */
  lastError: (LedgerTime & { readonly message: string }) | null;
}

/** Characters of an API error message kept for a run's `lastError`. */
const ERROR_TEXT_LIMIT = 500;

/** Adds a figure that may be unknown (null, undefined, not finite) to `parts`. */
export function addMoney(parts: MoneyParts, usd: number | null | undefined): void {
  if (typeof usd === 'number' && Number.isFinite(usd)) parts.known += usd;
  else parts.unpriced += 1;
}

function addCallSpend(map: Map<string, CallSpend>, key: string, usd: number | null | undefined): void {
  let value = map.get(key);
  if (!value) map.set(key, (value = { calls: 0, known: 0, unpriced: 0 }));
  value.calls += 1;
  addMoney(value, usd);
}

/**
 * Daily rollups of ledger entries: what the cost report needs from every entry, without the entries. Built by
 * adding entries in any order (the totals do not depend on it); one per ledger segment, kept on disk by
 * `SegmentRollups`. Savings are priced when an entry is added, so a rollup belongs to one price table.
 */
export class Rollup {
  readonly rows = new Map<string, RollupRow>();
  /** Lines that were not a valid entry (torn by a crash, or foreign text). */
  skippedLines = 0;
  /** Entries whose `time` does not parse (not in any row). */
  unreadableTimes = 0;
  first: LedgerTime | null = null;
  last: LedgerTime | null = null;
  /** The local day of each quarter hour seen (every time zone's offset is a whole number of quarter hours). */
  private readonly days = new Map<number, string>();

  constructor(private readonly pricing: PriceLookup) {}

  /** Adds one entry. */
  add(entry: LedgerEntry): void {
    const ms = Date.parse(entry.time);
    if (!Number.isFinite(ms)) {
      this.unreadableTimes += 1;
      return;
    }
    const at: LedgerTime = { ms, time: entry.time };
    const source = entry.source ?? null;
    const runId = entry.runId ?? null;
    const day = this.dayOf(ms);
    const key = rowKey(day, entry.model, source, runId);
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = emptyRow(day, entry.model, source, runId, at, entry.jobId ?? null)));
    row.calls += 1;
    if (isPaidCall(entry)) {
      row.inputTokens += entry.usage.promptTokens;
      row.cachedTokens += entry.usage.cachedTokens;
      row.outputTokens += entry.usage.completionTokens;
    } else row.cacheHits += 1;
    addMoney(row.spend, entry.costUsd);
    for (const saving of savingsOfEntry(entry, this.pricing)) {
      addMoney(row.saved, saving.usd);
      const savingKey = `${saving.cause}\n${saving.detail}`;
      let part = row.savings.get(savingKey);
      if (!part) row.savings.set(savingKey, (part = { cause: saving.cause, detail: saving.detail, known: 0, unpriced: 0, evidence: 0 }));
      addMoney(part, saving.usd);
      part.evidence += 1;
    }
    addCallSpend(row.outcomes, String(entry.outcome), entry.costUsd);
    addCallSpend(row.endpoints, String(entry.endpoint), entry.costUsd);
    if (ms < row.first.ms) row.first = at;
    if (ms >= row.last.ms) row.last = at;
    if (row.job !== (entry.jobId ?? null)) row.job = false;
    if (entry.outcome === 'error' && entry.error?.message && (!row.lastError || ms >= row.lastError.ms)) {
      row.lastError = { ...at, message: entry.error.message.slice(0, ERROR_TEXT_LIMIT) };
    }
    if (!this.first || ms < this.first.ms) this.first = at;
    if (!this.last || ms >= this.last.ms) this.last = at;
  }

  /** Entries in rows (entries with an unreadable time are not). */
  get entries(): number {
    let count = 0;
    for (const row of this.rows.values()) count += row.calls;
    return count;
  }

  private dayOf(ms: number): string {
    const quarter = Math.floor(ms / 900_000);
    let day = this.days.get(quarter);
    if (day === undefined) this.days.set(quarter, (day = dayKey(new Date(ms))));
    return day;
  }
}

/** The key of a row in {@link Rollup.rows}. */
export function rowKey(day: string, model: string, source: string | null, runId: string | null): string {
  return JSON.stringify([day, model, source, runId]);
}

/** A row with no entries yet, to add to. */
export function emptyRow(day: string, model: string, source: string | null, runId: string | null, at: LedgerTime, job: string | null | false): RollupRow {
  return {
    day, model, source, runId,
    calls: 0, cacheHits: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0,
    spend: { known: 0, unpriced: 0 }, saved: { known: 0, unpriced: 0 },
    savings: new Map(), outcomes: new Map(), endpoints: new Map(),
    first: at, last: at, job, lastError: null,
  };
}

/** A rollup of `entries` in memory (what the report of a list of entries is built from). */
export function rollupOf(entries: Iterable<LedgerEntry>, pricing: PriceLookup): Rollup {
  const rollup = new Rollup(pricing);
  for (const entry of entries) rollup.add(entry);
  return rollup;
}
