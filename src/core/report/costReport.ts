import type { LedgerEntry } from '../ledger/ledgerEntry';
import { BUNDLED_PRICE_DATA } from '../pricing/bundledPrices';
import { budgetStatus, runBudget } from './budget';
import type { CallsSpend, CostReport, DailySpend, FileSpendRow, PromptSpend, RunSummary } from './costReportTypes';
import { COL, MIXED_JOBS, PART, PART_KIND, rollupOf, type LedgerTime, type Rollup } from './ledgerRollup';
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

/** The rows of one rollup a part of the report covers: all of them, or those whose `inRange` is 1. */
interface RowSet {
  readonly rollup: Rollup;
  readonly inRange: Uint8Array | null;
}

/** Calls `visit` for every row of `sets` (rows are indexes into a rollup's columns: nothing is allocated per row). */
function eachRow(sets: readonly RowSet[], visit: (rollup: Rollup, row: number) => void): void {
  for (const { rollup, inRange } of sets)
    for (let row = 0; row < rollup.rowCount; row += 1) if (!inRange || inRange[row] === 1) visit(rollup, row);
}

function textAt(rollup: Rollup, column: number, row: number): string | null {
  return rollup.text(rollup.rows[column]![row]!);
}

/**
 * The cost report of a list of entries (see {@link buildRollupReport}). Pure: everything comes from the
 * arguments. Entries whose `time` does not parse are counted as skipped.
 */
export function buildCostReport(entries: readonly LedgerEntry[], options: CostReportOptions): CostReport {
  const rollup = rollupOf(entries, options.pricing);
  const rangeRollup =
    options.since && !isLocalMidnight(options.since)
      ? rollupOf(
          entries.filter((entry) => Date.parse(entry.time) >= options.since!.getTime()),
          options.pricing,
        )
      : undefined;
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
  const all: RowSet[] = ledger.rollups.map((rollup) => ({ rollup, inRange: null }));
  const range = options.since ? 'since' : (options.range ?? 'month');
  const since = options.since ?? rangeStart(options.range ?? 'month', now);
  const sinceDay = since ? dayKey(since) : undefined;
  const todayKey = dayKey(now);
  const weekKey = dayKey(daysBefore(now, 6));
  const monthKey = dayKey(startOfMonth(now));
  const periods = { today: new MoneySum(), last7Days: new MoneySum(), month: new MoneySum() };
  const inRange: RowSet[] = ledger.rangeRollup ? [{ rollup: ledger.rangeRollup, inRange: null }] : [];
  for (const rollup of ledger.rollups) {
    const days = rollup.rows[COL.day]!;
    const known = rollup.rows[COL.spendKnown]!;
    const unpriced = rollup.rows[COL.spendUnpriced]!;
    const mask = new Uint8Array(rollup.rowCount);
    // Rows hold a few distinct days: each day's text is compared once.
    const dayFacts = new Map<number, { today: boolean; week: boolean; month: boolean; range: boolean }>();
    for (let row = 0; row < rollup.rowCount; row += 1) {
      const dayIndex = days[row]!;
      let facts = dayFacts.get(dayIndex);
      if (!facts) {
        const day = rollup.text(dayIndex) ?? '';
        dayFacts.set(
          dayIndex,
          (facts = {
            today: day >= todayKey,
            week: day >= weekKey,
            month: day >= monthKey,
            range: sinceDay === undefined || day >= sinceDay,
          }),
        );
      }
      if (facts.today) periods.today.addParts(known[row]!, unpriced[row]!);
      if (facts.week) periods.last7Days.addParts(known[row]!, unpriced[row]!);
      if (facts.month) periods.month.addParts(known[row]!, unpriced[row]!);
      if (facts.range) mask[row] = 1;
    }
    if (!ledger.rangeRollup) inRange.push({ rollup, inRange: mask });
  }

  const total = new SpendTotals();
  const byModel = new SpendGroups();
  const byFile = new SpendGroups();
  const byRun = new SpendGroups();
  const savings = new SavingsTally();
  const outcomes = new Map<string, { calls: number; spend: MoneySum }>();
  const endpoints = new Map<string, { calls: number; spend: MoneySum }>();
  eachRow(inRange, (rollup, row) => {
    total.add(rollup, row);
    byModel.add(textAt(rollup, COL.model, row) ?? '', rollup, row);
    byFile.add(textAt(rollup, COL.source, row) ?? NO_SOURCE, rollup, row);
    const runId = textAt(rollup, COL.runId, row);
    if (runId !== null) byRun.add(runId, rollup, row);
  });
  for (const { rollup, inRange: mask } of inRange) {
    const parts = rollup.parts;
    for (let part = 0; part < rollup.partCount; part += 1) {
      if (mask && mask[parts[PART.row]![part]!] !== 1) continue;
      const kind = parts[PART.kind]![part]!;
      const name = rollup.text(parts[PART.name]![part]!) ?? '';
      const count = parts[PART.count]![part]!;
      const knownUsd = parts[PART.knownUsd]![part]!;
      const unpricedParts = parts[PART.unpriced]![part]!;
      if (kind === PART_KIND.saving)
        savings.add(name, rollup.text(parts[PART.detail]![part]!) ?? '', knownUsd, unpricedParts, count);
      else addCallSpend(kind === PART_KIND.outcome ? outcomes : endpoints, name, count, knownUsd, unpricedParts);
    }
  }
  const rangeSpend = total.spend.amount;
  const complete = options.complete === true;
  const models = capped(byModel.rows(rangeSpend.knownUsd), 'byModel', complete);
  const files = capped(
    byFile
      .rows(rangeSpend.knownUsd)
      .map((row): FileSpendRow => ({ ...row, source: row.name === NO_SOURCE ? null : row.name })),
    'byFile',
    complete,
  );
  const runRows = capped(byRun.rows(rangeSpend.knownUsd), 'byRun', complete);
  const prompts = capped(topPrompts(inRange), 'topPrompts', complete);
  const allRuns = summarizeRuns(all, options.runs ?? [], options.budget?.perRunUsd);
  const runs = capped(allRuns, 'recentRuns', complete);
  const month = periods.month.amount;
  const first = earliest(ledger.rollups.map((rollup) => rollup.first));
  const last = latest(ledger.rollups.map((rollup) => rollup.last));
  const unreadable = ledger.rollups.reduce((sum, rollup) => sum + rollup.unreadableTimes, 0);
  return {
    version: 1,
    generatedAt: now.toISOString(),
    range: { name: range, since: since ? since.toISOString() : null, until: now.toISOString() },
    spend: {
      today: periods.today.amount,
      last7Days: periods.last7Days.amount,
      month,
      range: rangeSpend,
      calls: total.calls,
    },
    byModel: models.rows,
    byFile: files.rows,
    byRun: runRows.rows,
    daily: dailySpend(all, since, first, now),
    topPrompts: prompts.rows,
    savings: savings.report(),
    outcomes: asList(outcomes),
    truncated: truncatedOf(outcomes),
    endpoints: asList(endpoints),
    // The budget counts the recent runs, complete report or not.
    budget: budgetStatus(month, options.budget, allRuns.slice(0, REPORT_LIMITS.recentRuns)),
    recentRuns: runs.rows,
    more: {
      byModel: models.more,
      byFile: files.more,
      byRun: runRows.more,
      topPrompts: prompts.more,
      recentRuns: runs.more,
    },
    pricesAsOf: BUNDLED_PRICE_DATA.asOf,
    priceSource: `${BUNDLED_PRICE_DATA.packageName} ${BUNDLED_PRICE_DATA.version}${options.hasPriceOverrides ? ' + your promptmeter.pricing.overrides' : ''}`,
    ledger: {
      entries: ledger.rollups.reduce(
        (sum, rollup) =>
          sum + rollup.rows[COL.calls]!.subarray(0, rollup.rowCount).reduce((calls, value) => calls + value, 0),
        0,
      ),
      skippedLines: (options.skippedLines ?? 0) + unreadable,
      firstTime: first?.time ?? null,
      lastTime: last?.time ?? null,
    },
  };
}

/** Adds one part's calls and spend to totals by name. */
function addCallSpend(
  map: Map<string, { calls: number; spend: MoneySum }>,
  name: string,
  calls: number,
  knownUsd: number,
  unpriced: number,
): void {
  let total = map.get(name);
  if (!total) map.set(name, (total = { calls: 0, spend: new MoneySum() }));
  total.calls += calls;
  total.spend.addParts(knownUsd, unpriced);
}

function asList(map: Map<string, { calls: number; spend: MoneySum }>): CallsSpend[] {
  return [...map]
    .map(([name, value]) => ({ name, calls: value.calls, spend: value.spend.amount }))
    .sort((a, b) => a.name.localeCompare(b.name));
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
function dailySpend(
  rows: readonly RowSet[],
  since: Date | undefined,
  first: LedgerTime | null,
  now: Date,
): DailySpend[] {
  const earliestDay = daysBefore(now, CHART_MAXIMUM_DAYS - 1);
  const minimumStart = daysBefore(now, CHART_MINIMUM_DAYS - 1);
  const firstEntry = first ? startOfDay(new Date(first.ms)) : minimumStart;
  let start = since ? startOfDay(since) : firstEntry;
  if (start > minimumStart) start = minimumStart;
  if (start < earliestDay) start = earliestDay;
  const days = new Map<string, SpendTotals>();
  for (let day = start; day <= now; day = daysBefore(day, -1)) days.set(dayKey(day), new SpendTotals());
  eachRow(rows, (rollup, row) => days.get(textAt(rollup, COL.day, row) ?? '')?.add(rollup, row));
  return [...days.entries()].map(([day, totals]) => ({
    day,
    calls: totals.calls,
    spend: totals.spend.amount,
    saved: totals.saved.amount,
  }));
}

/** Prompt files (× model) by spend; `jobId` when all of a prompt's calls were one job. */
function topPrompts(inRange: readonly RowSet[]): PromptSpend[] {
  type Prompt = {
    source: string | null;
    job: string | null | false;
    model: string;
    last: number;
    calls: number;
    spend: MoneySum;
  };
  // By model, then by source (null: no source): no key text per row.
  const byModel = new Map<string, Map<string | null, Prompt>>();
  const prompts: Prompt[] = [];
  eachRow(inRange, (rollup, row) => {
    const columns = rollup.rows;
    const model = textAt(rollup, COL.model, row) ?? '';
    const source = textAt(rollup, COL.source, row);
    const job = columns[COL.job]![row] === MIXED_JOBS ? false : textAt(rollup, COL.job, row);
    const last = columns[COL.lastMs]![row]!;
    let sources = byModel.get(model);
    if (!sources) byModel.set(model, (sources = new Map()));
    let prompt = sources.get(source);
    if (!prompt) {
      sources.set(source, (prompt = { source, job, model, last, calls: 0, spend: new MoneySum() }));
      prompts.push(prompt);
    }
    prompt.calls += columns[COL.calls]![row]!;
    prompt.spend.addParts(columns[COL.spendKnown]![row]!, columns[COL.spendUnpriced]![row]!);
    if (prompt.job !== job) prompt.job = false;
    if (last > prompt.last) prompt.last = last;
  });
  return prompts
    .map(({ spend, job, last, ...prompt }) => ({
      ...prompt,
      jobId: job === false ? null : job,
      lastTime: new Date(last).toISOString(),
      spend: spend.amount,
    }))
    .filter((prompt) => prompt.spend.knownUsd > 0 || prompt.spend.unpriced > 0)
    .sort(
      (a, b) =>
        b.spend.knownUsd - a.spend.knownUsd ||
        b.spend.unpriced - a.spend.unpriced ||
        b.calls - a.calls ||
        (a.source ?? '').localeCompare(b.source ?? '') ||
        a.model.localeCompare(b.model),
    );
}

/** Runs from run.json merged with their ledger rows (all time), newest first. */
function summarizeRuns(
  rows: readonly RowSet[],
  records: readonly RunRecord[],
  perRunUsd: number | undefined,
): RunSummary[] {
  const totals = new Map<
    string,
    { totals: SpendTotals; first: number; lastError: { ms: number; message: string } | null }
  >();
  eachRow(rows, (rollup, row) => {
    const runId = textAt(rollup, COL.runId, row);
    if (runId === null) return;
    const columns = rollup.rows;
    const first = columns[COL.firstMs]![row]!;
    let run = totals.get(runId);
    if (!run) totals.set(runId, (run = { totals: new SpendTotals(), first, lastError: null }));
    run.totals.add(rollup, row);
    if (first < run.first) run.first = first;
    const errorMs = columns[COL.errorMs]![row]!;
    if (columns[COL.errorMessage]![row]! >= 0 && (!run.lastError || errorMs >= run.lastError.ms)) {
      run.lastError = { ms: errorMs, message: textAt(rollup, COL.errorMessage, row) ?? '' };
    }
  });
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
