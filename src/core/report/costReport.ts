import type { LedgerEntry } from '../ledger/ledgerEntry';
import { BUNDLED_PRICE_DATA } from '../pricing/bundledPrices';
import { budgetStatus, runBudget } from './budget';
import type { CostReport, DailySpend, FileSpendRow, PromptSpend, RunSummary } from './costReportTypes';
import { MoneySum, ZERO_MONEY } from './money';
import type { PriceLookup } from './priceLookup';
import { dayKey, daysBefore, rangeStart, startOfDay, startOfMonth, type ReportRangeName } from './reportPeriods';
import type { RunRecord } from './runRecord';
import { savingsByCause, savingsOfEntry, type EntrySaving } from './savings';
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
}

/** How many rows the "most expensive prompts" and "recent runs" lists keep. */
export const TOP_PROMPT_LIMIT = 10;
export const RECENT_RUN_LIMIT = 10;
/** The chart shows at least a week, and at most a year and a day. */
const CHART_MINIMUM_DAYS = 7;
const CHART_MAXIMUM_DAYS = 366;
const NO_SOURCE = '(no source)';
/** Characters of an API error message kept for a run's `lastError`. */
const ERROR_TEXT_LIMIT = 500;

interface TimedEntry {
  readonly entry: LedgerEntry;
  readonly time: number;
  readonly savings: readonly EntrySaving[];
}

/**
 * The cost report: spend today / last 7 days / month to date; for the range, spend by model, file and run, the
 * most expensive prompts and savings by cause; spend per day for the chart; recent runs; budget status.
 * Pure: everything comes from the arguments. Entries whose `time` does not parse are counted as skipped.
 */
export function buildCostReport(entries: readonly LedgerEntry[], options: CostReportOptions): CostReport {
  const { now, pricing } = options;
  const timed: TimedEntry[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    const time = Date.parse(entry.time);
    if (Number.isFinite(time)) timed.push({ entry, time, savings: savingsOfEntry(entry, pricing) });
    else unreadable += 1;
  }
  timed.sort((a, b) => a.time - b.time);

  const range = options.since ? 'since' : (options.range ?? 'month');
  const since = options.since ?? rangeStart(options.range ?? 'month', now);
  const todayStart = startOfDay(now).getTime();
  const weekStart = daysBefore(now, 6).getTime();
  const monthStart = startOfMonth(now).getTime();
  const periods = { today: new MoneySum(), last7Days: new MoneySum(), month: new MoneySum(), range: new MoneySum() };
  const inRange: TimedEntry[] = [];
  for (const item of timed) {
    if (item.time >= todayStart) periods.today.add(item.entry.costUsd);
    if (item.time >= weekStart) periods.last7Days.add(item.entry.costUsd);
    if (item.time >= monthStart) periods.month.add(item.entry.costUsd);
    if (since === undefined || item.time >= since.getTime()) {
      periods.range.add(item.entry.costUsd);
      inRange.push(item);
    }
  }
  const rangeSpend = periods.range.amount;

  const truncatedSpend = new MoneySum();
  let truncatedCalls = 0;
  for (const { entry } of inRange) {
    if (entry.outcome !== 'truncated') continue;
    truncatedSpend.add(entry.costUsd);
    truncatedCalls += 1;
  }

  const byModel = new SpendGroups();
  const byFile = new SpendGroups();
  const byRun = new SpendGroups();
  for (const { entry, savings } of inRange) {
    byModel.add(entry.model, entry, savings);
    byFile.add(entry.source ?? NO_SOURCE, entry, savings);
    if (entry.runId) byRun.add(entry.runId, entry, savings);
  }
  const fileRows: FileSpendRow[] = byFile.rows(rangeSpend.knownUsd).map((row) => ({ ...row, source: row.name === NO_SOURCE ? null : row.name }));

  const recentRuns = summarizeRuns(timed, options.runs ?? [], options.budget?.perRunUsd);
  const month = periods.month.amount;
  return {
    version: 1,
    generatedAt: now.toISOString(),
    range: { name: range, since: since ? since.toISOString() : null, until: now.toISOString() },
    spend: { today: periods.today.amount, last7Days: periods.last7Days.amount, month, range: rangeSpend, calls: inRange.length },
    byModel: byModel.rows(rangeSpend.knownUsd),
    byFile: fileRows,
    byRun: byRun.rows(rangeSpend.knownUsd),
    daily: dailySpend(timed, since, now),
    topPrompts: topPrompts(inRange),
    savings: savingsByCause(
      inRange.map((item) => item.entry),
      pricing,
    ),
    truncated: { spend: truncatedSpend.amount, calls: truncatedCalls },
    budget: budgetStatus(month, options.budget, recentRuns),
    recentRuns,
    pricesAsOf: BUNDLED_PRICE_DATA.asOf,
    priceSource: `${BUNDLED_PRICE_DATA.packageName} ${BUNDLED_PRICE_DATA.version}${options.hasPriceOverrides ? ' + your promptmeter.pricing.overrides' : ''}`,
    ledger: {
      entries: timed.length,
      skippedLines: (options.skippedLines ?? 0) + unreadable,
      firstTime: timed[0]?.entry.time ?? null,
      lastTime: timed.at(-1)?.entry.time ?? null,
    },
  };
}

/** One point per local day from the range start (at least a week back, at most a year) to today, gaps as $0. */
function dailySpend(timed: readonly TimedEntry[], since: Date | undefined, now: Date): DailySpend[] {
  const earliest = daysBefore(now, CHART_MAXIMUM_DAYS - 1);
  const minimumStart = daysBefore(now, CHART_MINIMUM_DAYS - 1);
  const firstEntry = timed[0] ? startOfDay(new Date(timed[0].time)) : minimumStart;
  let start = since ? startOfDay(since) : firstEntry;
  if (start > minimumStart) start = minimumStart;
  if (start < earliest) start = earliest;
  const days = new Map<string, SpendTotals>();
  for (let day = start; day <= now; day = daysBefore(day, -1)) days.set(dayKey(day), new SpendTotals());
  for (const { entry, time, savings } of timed) days.get(dayKey(new Date(time)))?.add(entry, savings);
  return [...days.entries()].map(([day, totals]) => ({ day, calls: totals.calls, spend: totals.spend.amount, saved: totals.saved.amount }));
}

function topPrompts(inRange: readonly TimedEntry[]): PromptSpend[] {
  const prompts = new Map<string, { source: string | null; jobId: string | null; model: string; lastTime: string; calls: number; spend: MoneySum }>();
  for (const { entry } of inRange) {
    const source = entry.source ?? null;
    const jobId = entry.jobId ?? null;
    const key = JSON.stringify([source, jobId]);
    let prompt = prompts.get(key);
    if (!prompt) prompts.set(key, (prompt = { source, jobId, model: entry.model, lastTime: entry.time, calls: 0, spend: new MoneySum() }));
    prompt.calls += 1;
    prompt.spend.add(entry.costUsd);
    prompt.model = entry.model;
    prompt.lastTime = entry.time;
  }
  return [...prompts.values()]
    .map(({ spend, ...prompt }) => ({ ...prompt, spend: spend.amount }))
    .filter((prompt) => prompt.spend.knownUsd > 0 || prompt.spend.unpriced > 0)
    .sort((a, b) => b.spend.knownUsd - a.spend.knownUsd || b.spend.unpriced - a.spend.unpriced || b.calls - a.calls)
    .slice(0, TOP_PROMPT_LIMIT);
}

/** Runs from run.json merged with their ledger entries (all time), newest first. */
function summarizeRuns(timed: readonly TimedEntry[], records: readonly RunRecord[], perRunUsd: number | undefined): RunSummary[] {
  const totals = new Map<string, { totals: SpendTotals; firstTime: string; lastError: string | null }>();
  for (const { entry, savings } of timed) {
    if (!entry.runId) continue;
    let run = totals.get(entry.runId);
    if (!run) totals.set(entry.runId, (run = { totals: new SpendTotals(), firstTime: entry.time, lastError: null }));
    run.totals.add(entry, savings);
    if (entry.outcome === 'error' && entry.error?.message) run.lastError = entry.error.message.slice(0, ERROR_TEXT_LIMIT);
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
      createdAt: record?.createdAt ?? run?.firstTime ?? null,
      updatedAt: record?.updatedAt ?? null,
      jobs: record?.jobs ?? null,
      spend,
      estimateUsd: record?.estimateUsd ?? null,
      calls: run?.totals.calls ?? 0,
      cacheHits: run?.totals.cacheHits ?? 0,
      lastError: run?.lastError ?? null,
      ...runBudget(spend, perRunUsd),
    });
  }
  const started = (summary: RunSummary): number => (summary.createdAt ? Date.parse(summary.createdAt) : 0);
  return summaries.sort((a, b) => started(b) - started(a) || a.id.localeCompare(b.id)).slice(0, RECENT_RUN_LIMIT);
}
