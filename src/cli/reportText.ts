import { formatTokens } from '../core/estimate/formatting';
import type { CostReport, SpendRow } from '../core/report/costReportTypes';
import { formatMoney, formatShare } from '../core/report/formatMoney';
import { rangeLabel } from '../core/report/reportPeriods';

/** The human-readable report printed without `--json`: the same figures as the JSON and the view. */
export function reportText(report: CostReport): string {
  const lines: string[] = [];
  const range = report.range.name === 'since' ? `Since ${report.range.since}` : rangeLabel(report.range.name);
  lines.push(`Prompt Meter cost report — ${range} (USD; prices as of ${report.pricesAsOf}, ${report.priceSource})`, '');
  if (report.ledger.entries === 0) {
    lines.push(
      'The cost ledger (.promptmeter/ledger/) has no entries yet: run a prompt or a batch with Prompt Meter and its cost is recorded there.',
    );
    return `${lines.join('\n')}\n`;
  }
  const { spend, budget } = report;
  lines.push(
    `Spend: today ${formatMoney(spend.today)} · last 7 days ${formatMoney(spend.last7Days)} · month to date ${formatMoney(spend.month)} · ${range.toLowerCase()} ${formatMoney(spend.range)} (${spend.calls} calls)`,
  );
  if (budget.monthly !== null)
    lines.push(
      `Budget: ${formatMoney(budget.used)} of $${budget.monthly.toFixed(2)} this month (${formatShare(budget.fraction)}, ${budget.level})`,
    );
  if (budget.perRun !== null)
    lines.push(`Per-run budget: $${budget.perRun.toFixed(2)} (${budget.runsOverBudget} recent run(s) over it)`);
  if (report.truncated.calls > 0)
    lines.push(
      `Spent on truncated answers (cut off by the output cap or the content filter, or empty): ${formatMoney(report.truncated.spend)} (${report.truncated.calls} calls)`,
    );
  if (report.ledger.skippedLines > 0)
    lines.push(`Note: ${report.ledger.skippedLines} ledger line(s) could not be read and are not counted.`);

  lines.push('', 'Savings by cause');
  if (report.savings.causes.length === 0) lines.push('  No savings recorded in this range.');
  else {
    const rows = report.savings.causes.map((cause) => [
      cause.label,
      `${cause.evidence} ${cause.unit}`,
      formatMoney(cause.amount),
      formatShare(cause.share),
    ]);
    rows.push(['Total', '', formatMoney(report.savings.total), '']);
    lines.push(...table([['CAUSE', 'EVIDENCE', 'SAVED', 'SHARE'], ...rows]));
  }
  const outcomes = report.outcomes.filter((outcome) => outcome.name !== 'ok');
  if (outcomes.length > 0)
    lines.push(
      '',
      `Calls that did not end in an answer: ${outcomes.map((outcome) => `${outcome.name} ${outcome.calls} (${formatMoney(outcome.spend)})`).join(' · ')}`,
    );
  section(lines, 'Spend by model', 'MODEL', report.byModel, report.more.byModel);
  section(lines, 'Spend by prompt file', 'FILE', report.byFile, report.more.byFile);
  if (report.byRun.length > 0) section(lines, 'Spend by run', 'RUN', report.byRun, report.more.byRun);
  if (report.topPrompts.length > 0) {
    lines.push('', 'Most expensive prompts');
    lines.push(
      ...table([
        ['PROMPT', 'MODEL', 'CALLS', 'SPEND'],
        ...report.topPrompts.map((prompt) => [
          `${prompt.source ?? '(no source)'}${prompt.jobId ? ` #${prompt.jobId}` : ''}`,
          prompt.model,
          String(prompt.calls),
          formatMoney(prompt.spend),
        ]),
      ]),
    );
    more(lines, report.more.topPrompts);
  }
  if (report.recentRuns.length > 0) {
    lines.push('', 'Recent runs');
    lines.push(
      ...table([
        ['RUN', 'STATUS', 'SOURCE', 'JOBS', 'SPEND'],
        ...report.recentRuns.map((run) => [
          run.id,
          run.status,
          run.source ?? '',
          run.jobs ? `${run.jobs.done}/${run.jobs.total}` : '',
          formatMoney(run.spend),
        ]),
      ]),
    );
    more(lines, report.more.recentRuns);
  }
  return `${lines.join('\n')}\n`;
}

function more(lines: string[], count: number): void {
  if (count > 0) lines.push(`  … ${count} more (all of them: promptmeter report --all, or --json --all)`);
}

function section(lines: string[], title: string, heading: string, rows: readonly SpendRow[], hidden: number): void {
  lines.push('', title);
  lines.push(
    ...table([
      [heading, 'CALLS', 'CACHE HITS', 'TOKENS IN/OUT', 'SPEND', 'SHARE'],
      ...rows.map((row) => [
        row.name,
        String(row.calls),
        String(row.cacheHits),
        `${formatTokens(row.inputTokens)}/${formatTokens(row.outputTokens)}`,
        formatMoney(row.spend),
        formatShare(row.share),
      ]),
    ]),
  );
  more(lines, hidden);
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((cells) => (cells[column] ?? '').length)));
  return rows.map(
    (cells) =>
      `  ${cells
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}`,
  );
}
