import type { CostReport, SpendRow } from './costReportTypes';
import type { MoneyAmount } from './money';

/** Columns of {@link reportToCsv}, in order. */
export const REPORT_CSV_COLUMNS = [
  'section',
  'name',
  'detail',
  'count',
  'usd',
  'known_usd',
  'unpriced',
  'share',
] as const;

type CsvValue = string | number | null;

/**
 * The report as one long CSV table (RFC 4180, CRLF): one row per figure, with a `section` column (meta, spend,
 * budget, model, file, run, prompt, saving, saving_detail, day, recent_run). `usd` is empty when a price is
 * unknown (`known_usd` then holds the known part and `unpriced` how many parts were unknown). Text that a
 * spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
 */
export function reportToCsv(report: CostReport): string {
  const rows: CsvValue[][] = [[...REPORT_CSV_COLUMNS]];
  const money = (amount: MoneyAmount): CsvValue[] => [amount.usd, amount.knownUsd, amount.unpriced];
  const meta = (name: string, detail: string | null) => rows.push(['meta', name, detail, null, null, null, null, null]);
  meta('generated_at', report.generatedAt);
  meta('range', `${report.range.since ?? 'all'} .. ${report.range.until}`);
  meta('prices_as_of', report.pricesAsOf);
  meta('price_source', report.priceSource);
  for (const [name, amount] of [
    ['today', report.spend.today],
    ['last_7_days', report.spend.last7Days],
    ['month_to_date', report.spend.month],
    ['range', report.spend.range],
  ] as const) {
    rows.push(['spend', name, null, name === 'range' ? report.spend.calls : null, ...money(amount), null]);
  }
  const budget = report.budget;
  rows.push(['budget', 'monthly', budget.level, null, budget.monthly, null, null, budget.fraction]);
  rows.push(['budget', 'per_run', `${budget.runsOverBudget} run(s) over`, null, budget.perRun, null, null, null]);
  const spendRows = (section: string, list: readonly SpendRow[]) => {
    for (const row of list) rows.push([section, row.name, null, row.calls, ...money(row.spend), row.share]);
  };
  spendRows('model', report.byModel);
  spendRows('file', report.byFile);
  spendRows('run', report.byRun);
  for (const prompt of report.topPrompts)
    rows.push(['prompt', prompt.source ?? '(no source)', prompt.jobId, prompt.calls, ...money(prompt.spend), null]);
  rows.push(['saving', 'total', null, null, ...money(report.savings.total), null]);
  for (const cause of report.savings.causes) {
    rows.push(['saving', cause.cause, cause.label, cause.evidence, ...money(cause.amount), cause.share]);
    for (const detail of cause.detail)
      rows.push(['saving_detail', cause.cause, detail.label, detail.evidence, ...money(detail.amount), null]);
  }
  for (const day of report.daily) rows.push(['day', day.day, null, day.calls, ...money(day.spend), null]);
  for (const run of report.recentRuns)
    rows.push(['recent_run', run.id, run.status, run.calls, ...money(run.spend), run.budgetFraction]);
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
