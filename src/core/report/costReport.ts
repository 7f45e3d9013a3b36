import type { LedgerEntry } from '../ledger/ledgerEntry';
import { BUNDLED_PRICE_DATA } from '../pricing/bundledPrices';
import { budgetStatus, runBudget } from './budget';
import type { CallsSpend, CostReport, DailySpend, FileSpendRow, PromptSpend, RunSummary } from './costReportTypes';
import { MIXED_JOBS, ROW, rollupOf, type LedgerTime, type Rollup, type RollupRow } from './ledgerRollup';
import { MoneySum, ZERO_MONEY } from './money';
import type { PriceLookup } from './priceLookup';
import { capped, REPORT_LIMITS } from './reportLimits';
import { dayKey, daysBefore, rangeStart, startOfDay, startOfMonth, type ReportRangeName } from './reportPeriods';
import type { RunRecord } from './runRecord';
import { SavingsTally } from './savings';
import { SpendGroups, SpendTotals } from './spendGroups';

/** Inputs of {@link buildCostReport} besides the entries. */
export interface CostReportOptions {
  /** "Now": the end of every period and the day the report is made for. */
  readonly now: Date;
  /** Prices at the time of each entry (see `datedPriceLookup`). */
  readonly pricing: PriceLookup;
  /** USD; 0 or absent means no budget. */
  readonly budget?: { readonly monthlyUsd?: number; readonly perRunUsd?: number };
  /** Batch runs read from `.promptmeter/runs/*\/run.json`. */
  readonly runs?: readonly RunRecord[];
  /** What the breakdowns cover; `month` by default. */
  readonly range?: ReportRangeName;
  /** When set, the breakdowns cover entries from this instant on (the CLI's `--since`), whatever `range` says. */
  readonly since?: Date;
  /** Whether the user has price overrides (named in `priceSource`). */
  readonly hasPriceOverrides?: boolean;
  /** Lines the ledger reader skipped. */
  readonly skippedLines?: number;
  /** Every row of every list (for exports); by default lists are capped (see `REPORT_LIMITS`) and `more` counts the rest. */
  readonly complete?: boolean;
}

/** The ledger as the report reads it: rollups (one per segment), and the range's own when it starts mid-day. */
export interface RolledUpLedger {
  readonly rollups: readonly Rollup[];
  /** Entries from `since` on, when `since` is not a local midnight (rows are whole days). */
  readonly rangeRollup?: Rollup;
}

/** The chart shows at least a week, and at most a year and a day. */
const CHART_MINIMUM_DAYS = 7;
const CHART_MAXIMUM_DAYS = 366;
const NO_SOURCE = '(no source)';

/** A rollup row with its texts looked up (texts are indexes into each rollup's own table). */
interface Row {
  readonly row: RollupRow;
  readonly rollup: Rollup;
  readonly day: string;
  readonly model: string;
  readonly source: string | null;
  readonly runId: string | null;
}

function rowsOf(rollups: readonly Rollup[]): Row[] {
  const rows: Row[] = [];
  for (const rollup of rollups) {
    for (const row of rollup.rows) {
      rows.push({ row, rollup, day: rollup.text(row[ROW.day]) ?? '', model: rollup.text(row[ROW.model]) ?? '', source: rollup.text(row[ROW.source]), runId: rollup.text(row[ROW.runId]) });
    }
  }
  return rows;
}

/**
 * The cost report of a list of entries (see {@link buildRollupReport}). Pure: everything comes from the
 * arguments. Entries whose `time` does not parse are counted as skipped.
 */
export function buildCostReport(entries: readonly LedgerEntry[], options: CostReportOptions): CostReport {
  const rollup = rollupOf(entries, options.pricing);
  const rangeRollup = options.since && !isLocalMidnight(options.since) ? rollupOf(entries.filter((entry) => Date.parse(entry.time) >= options.since!.getTime()), options.pricing) : undefined;
  return buildRollupReport({ rollups: [rollup], rangeRollup }, options);
}

/** Whether a range starting at `since` is made of whole local days. */
export function isLocalMidnight(since: Date): boolean {
  return startOfDay(since).getTime() === since.getTime();
}

/**
 * The cost report: spend today / last 7 days / month to date; for the range, spend by model, file and run, the
 * most expensive prompts, savings by cause and calls by outcome and endpoint; spend per day for the chart; recent
 * runs; budget status. Built from daily rollups, so its cost grows with days × models × sources × runs, not calls.
 */
export function buildRollupReport(ledger: RolledUpLedger, options: CostReportOptions): CostReport {
  const { now } = options;
  const rows = rowsOf(ledger.rollups);
  const range = options.since ? 'since' : (options.range ?? 'month');
  const since = options.since ?? rangeStart(options.range ?? 'month', now);
  const sinceDay = since ? dayKey(since) : undefined;
  const todayKey = dayKey(now);
  const weekKey = dayKey(daysBefore(now, 6));
  const monthKey = dayKey(startOfMonth(now));
  const periods = { today: new MoneySum(), last7Days: new MoneySum(), month: new MoneySum() };
  for (const { day, row } of rows) {
    if (day >= todayKey) periods.today.addParts(row[ROW.spendKnown], row[ROW.spendUnpriced]);
    if (day >= weekKey) periods.last7Days.addParts(row[ROW.spendKnown], row[ROW.spendUnpriced]);
    if (day >= monthKey) periods.month.addParts(row[ROW.spendKnown], row[ROW.spendUnpriced]);
  }
  const inRange = ledger.rangeRollup ? rowsOf([ledger.rangeRollup]) : rows.filter((row) => sinceDay === undefined || row.day >= sinceDay);

  const total = new SpendTotals();
  const byModel = new SpendGroups();
  const byFile = new SpendGroups();
  const byRun = new SpendGroups();
  const savings = new SavingsTally();
  const outcomes = new Map<string, { calls: number; spend: MoneySum }>();
  const endpoints = new Map<string, { calls: number; spend: MoneySum }>();
  for (const { row, rollup, model, source, runId } of inRange) {
    total.add(row);
    byModel.add(model, row);
    byFile.add(source ?? NO_SOURCE, row);
    if (runId !== null) byRun.add(runId, row);
    const parts = row[ROW.savings];
    for (let at = 0; at + 4 < parts.length; at += 5) savings.add(rollup.text(parts[at]!) ?? '', rollup.text(parts[at + 1]!) ?? '', parts[at + 2]!, parts[at + 3]!, parts[at + 4]!);
    addCallSpend(outcomes, rollup, row[ROW.outcomes]);
    addCallSpend(endpoints, rollup, row[ROW.endpoints]);
  }
  const rangeSpend = total.spend.amount;
  const complete = options.complete === true;
  const models = capped(byModel.rows(rangeSpend.knownUsd), 'byModel', complete);
  const files = capped(byFile.rows(rangeSpend.knownUsd).map((row): FileSpendRow => ({ ...row, source: row.name === NO_SOURCE ? null : row.name })), 'byFile', complete);
  const runRows = capped(byRun.rows(rangeSpend.knownUsd), 'byRun', complete);
  const prompts = capped(topPrompts(inRange), 'topPrompts', complete);
  const allRuns = summarizeRuns(rows, options.runs ?? [], options.budget?.perRunUsd);
  const runs = capped(allRuns, 'recentRuns', complete);
  const month = periods.month.amount;
  const first = earliest(ledger.rollups.map((rollup) => rollup.first));
  const last = latest(ledger.rollups.map((rollup) => rollup.last));
  const unreadable = ledger.rollups.reduce((sum, rollup) => sum + rollup.unreadableTimes, 0);
  return {
    version: 1,
    generatedAt: now.toISOString(),
    range: { name: range, since: since ? since.toISOString() : null, until: now.toISOString() },
    spend: { today: periods.today.amount, last7Days: periods.last7Days.amount, month, range: rangeSpend, calls: total.calls },
    byModel: models.rows,
    byFile: files.rows,
    byRun: runRows.rows,
    daily: dailySpend(rows, since, first, now),
    topPrompts: prompts.rows,
    savings: savings.report(),
    outcomes: asList(outcomes),
    truncated: truncatedOf(outcomes),
    endpoints: asList(endpoints),
    // The budget counts the recent runs, complete report or not.
    budget: budgetStatus(month, options.budget, allRuns.slice(0, REPORT_LIMITS.recentRuns)),
    recentRuns: runs.rows,
    more: { byModel: models.more, byFile: files.more, byRun: runRows.more, topPrompts: prompts.more, recentRuns: runs.more },
    pricesAsOf: BUNDLED_PRICE_DATA.asOf,
    priceSource: `${BUNDLED_PRICE_DATA.packageName} ${BUNDLED_PRICE_DATA.version}${options.hasPriceOverrides ? ' + your promptmeter.pricing.overrides' : ''}`,
    ledger: {
      entries: rows.reduce((sum, { row }) => sum + row[ROW.calls], 0),
      skippedLines: (options.skippedLines ?? 0) + unreadable,
      firstTime: first?.time ?? null,
      lastTime: last?.time ?? null,
    },
  };
}

/** Adds a row's `[name, calls, knownUsd, unpriced]…` list to totals by name. */
function addCallSpend(map: Map<string, { calls: number; spend: MoneySum }>, rollup: Rollup, list: readonly number[]): void {
  for (let at = 0; at + 3 < list.length; at += 4) {
    const name = rollup.text(list[at]!) ?? '';
    let total = map.get(name);
    if (!total) map.set(name, (total = { calls: 0, spend: new MoneySum() }));
    total.calls += list[at + 1]!;
    total.spend.addParts(list[at + 2]!, list[at + 3]!);
  }
}

function asList(map: Map<string, { calls: number; spend: MoneySum }>): CallsSpend[] {
  return [...map].map(([name, value]) => ({ name, calls: value.calls, spend: value.spend.amount })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Money paid for answers that were not successes (ledger outcome `truncated`), from the outcome totals. */
function truncatedOf(map: Map<string, { calls: number; spend: MoneySum }>): CostReport['truncated'] {
  const truncated = map.get('truncated');
  return { spend: (truncated?.spend ?? new MoneySum()).amount, calls: truncated?.calls ?? 0 };
}

function earliest(times: ReadonlyArray<LedgerTime | null>): LedgerTime | null {
  return times.reduce<LedgerTime | null>((best, time) => (time && (!best || time.ms < best.ms) ? time : best), null);
}

function latest(times: ReadonlyArray<LedgerTime | null>): LedgerTime | null {
  return times.reduce<LedgerTime | null>((best, time) => (time && (!best || time.ms >= best.ms) ? time : best), null);
}

/** One point per local day from the range start (at least a week back, at most a year) to today, gaps as $0. */
function dailySpend(rows: readonly Row[], since: Date | undefined, first: LedgerTime | null, now: Date): DailySpend[] {
  const earliestDay = daysBefore(now, CHART_MAXIMUM_DAYS - 1);
  const minimumStart = daysBefore(now, CHART_MINIMUM_DAYS - 1);
  const firstEntry = first ? startOfDay(new Date(first.ms)) : minimumStart;
  let start = since ? startOfDay(since) : firstEntry;
  if (start > minimumStart) start = minimumStart;
  if (start < earliestDay) start = earliestDay;
  const days = new Map<string, SpendTotals>();
  for (let day = start; day <= now; day = daysBefore(day, -1)) days.set(dayKey(day), new SpendTotals());
  for (const { day, row } of rows) days.get(day)?.add(row);
  return [...days.entries()].map(([day, totals]) => ({ day, calls: totals.calls, spend: totals.spend.amount, saved: totals.saved.amount }));
}

/** Prompt files (× model) by spend; `jobId` when all of a prompt's calls were one job. */
function topPrompts(inRange: readonly Row[]): PromptSpend[] {
  const prompts = new Map<string, { source: string | null; job: string | null | false; model: string; last: number; calls: number; spend: MoneySum }>();
  for (const { row, rollup, source, model } of inRange) {
    const key = `${model.length}:${model}|${source ?? ''}|${source === null ? 0 : 1}`;
    const job = row[ROW.job] === MIXED_JOBS ? false : rollup.text(row[ROW.job]);
    const last = row[ROW.lastMs];
    let prompt = prompts.get(key);
    if (!prompt) prompts.set(key, (prompt = { source, job, model, last, calls: 0, spend: new MoneySum() }));
    prompt.calls += row[ROW.calls];
    prompt.spend.addParts(row[ROW.spendKnown], row[ROW.spendUnpriced]);
    if (prompt.job !== job) prompt.job = false;
    if (last > prompt.last) prompt.last = last;
  }
  return [...prompts.values()]
    .map(({ spend, job, last, ...prompt }) => ({ ...prompt, jobId: job === false ? null : job, lastTime: new Date(last).toISOString(), spend: spend.amount }))
    .filter((prompt) => prompt.spend.knownUsd > 0 || prompt.spend.unpriced > 0)
    .sort((a, b) => b.spend.knownUsd - a.spend.knownUsd || b.spend.unpriced - a.spend.unpriced || b.calls - a.calls || (a.source ?? '').localeCompare(b.source ?? '') || a.model.localeCompare(b.model));
}

/** Runs from run.json merged with their ledger rows (all time), newest first. */
function summarizeRuns(rows: readonly Row[], records: readonly RunRecord[], perRunUsd: number | undefined): RunSummary[] {
  const totals = new Map<string, { totals: SpendTotals; first: number; lastError: { ms: number; message: string } | null }>();
  for (const { row, rollup, runId } of rows) {
    if (runId === null) continue;
    const first = row[ROW.firstMs];
    let run = totals.get(runId);
    if (!run) totals.set(runId, (run = { totals: new SpendTotals(), first, lastError: null }));
    run.totals.add(row);
    if (first < run.first) run.first = first;
    if (row[ROW.errorMessage] >= 0 && (!run.lastError || row[ROW.errorMs] >= run.lastError.ms)) {
      run.lastError = { ms: row[ROW.errorMs], message: rollup.text(row[ROW.errorMessage]) ?? '' };
    }
  }
  const ids = new Set([...records.map((record) => record.id), ...totals.keys()]);
  const byId = new Map(records.map((record) => [record.id, record]));
  const summaries: RunSummary[] = [];
  for (const id of ids) {
    const record = byId.get(id);
    const run = totals.get(id);
    const spend = run?.totals.spend.amount ?? ZERO_MONEY;
    summaries.push({
      id,
      status: record?.status ?? 'unknown',
      source: record?.source ?? null,
      createdAt: record?.createdAt ?? (run ? new Date(run.first).toISOString() : null),
      updatedAt: record?.updatedAt ?? null,
      jobs: record?.jobs ?? null,
      spend,
      estimateUsd: record?.estimateUsd ?? null,
      calls: run?.totals.calls ?? 0,
      cacheHits: run?.totals.cacheHits ?? 0,
      lastError: run?.lastError?.message ?? null,
      ...runBudget(spend, perRunUsd),
    });
  }
  const started = (summary: RunSummary): number => (summary.createdAt ? Date.parse(summary.createdAt) : 0);
  return summaries.sort((a, b) => started(b) - started(a) || a.id.localeCompare(b.id));
}
