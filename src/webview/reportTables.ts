import { formatTokens } from '../core/estimate/formatting';
import type { CostReport, FileSpendRow, RunSummary, SpendRow } from '../core/report/costReportTypes';
import { formatShare } from '../core/report/formatMoney';
import { button, element, section, type Child } from './dom';
import { moneyElement } from './money';
import type { ReportHost, ReportViewState } from './vscodeApi';

type Breakdown = ReportViewState['breakdown'];

const BREAKDOWNS: ReadonlyArray<{ readonly key: Breakdown; readonly label: string; readonly heading: string }> = [
  { key: 'model', label: 'Model', heading: 'Model' },
  { key: 'file', label: 'Prompt file', heading: 'File' },
  { key: 'run', label: 'Run', heading: 'Run' },
];

/** Spend by model, prompt file or run (one table at a time, switched by a toolbar). */
export function breakdown(
  report: CostReport,
  shown: Breakdown,
  host: ReportHost,
  show: (breakdown: Breakdown) => void,
): HTMLElement {
  const toolbar = element('div', {
    className: 'range-picker',
    attributes: { role: 'toolbar', 'aria-label': 'Spend by' },
  });
  for (const option of BREAKDOWNS) {
    const pressed = option.key === shown;
    toolbar.append(
      button(option.label, () => show(option.key), {
        className: pressed ? 'pressed' : '',
        focusKey: `breakdown-${option.key}`,
        attributes: { 'aria-pressed': String(pressed) },
      }),
    );
  }
  const heading = BREAKDOWNS.find((option) => option.key === shown)!.heading;
  let rows: readonly SpendRow[];
  let hidden: number;
  let open: ((row: SpendRow) => (() => void) | undefined) | undefined;
  if (shown === 'file') {
    rows = report.byFile;
    hidden = report.more.byFile;
    open = (row) => {
      const source = (row as FileSpendRow).source;
      return source ? () => host.post({ type: 'openFile', path: source }) : undefined;
    };
  } else if (shown === 'run') {
    rows = report.byRun;
    hidden = report.more.byRun;
    open = (row) => () => host.post({ type: 'openRun', runId: row.name });
  } else {
    rows = report.byModel;
    hidden = report.more.byModel;
  }
  const body =
    rows.length === 0
      ? element('p', {
          className: 'hint',
          text: shown === 'run' ? 'No batch runs in this range.' : 'No calls in this range.',
        })
      : spendTable(heading, rows, shown, open);
  return section('Spend by', `breakdown breakdown-${shown}`, toolbar, body, ...moreHint(hidden));
}

/** "… 1,234 more": the report keeps the top rows; the exports have all of them. */
function moreHint(hidden: number): HTMLElement[] {
  return hidden > 0
    ? [
        element('p', {
          className: 'hint more',
          text: `… ${hidden.toLocaleString('en-US')} more (Export Cost Report has every row)`,
        }),
      ]
    : [];
}

function spendTable(
  heading: string,
  rows: readonly SpendRow[],
  kind: Breakdown,
  open?: (row: SpendRow) => (() => void) | undefined,
): HTMLTableElement {
  const header = element(
    'tr',
    {},
    ...[heading, 'Calls', 'Spend', 'Share'].map((text, index) =>
      element('th', { text, className: index === 0 ? '' : 'number', attributes: { scope: 'col' } }),
    ),
  );
  const body = element('tbody');
  rows.forEach((row, index) => {
    const action = open?.(row);
    const name: Child = action
      ? button(row.name, action, { className: 'link', focusKey: `${kind}-${index}`, title: `Open ${row.name}` })
      : element('span', { text: row.name });
    const tooltip = `${row.calls} calls, ${row.cacheHits} from cache or deduplicated; ${formatTokens(row.inputTokens)} input (${formatTokens(row.cachedTokens)} cached) and ${formatTokens(row.outputTokens)} output tokens billed`;
    body.append(
      element(
        'tr',
        { title: tooltip },
        element('td', { className: 'name' }, name),
        element('td', { className: 'number', text: String(row.calls) }),
        element('td', { className: 'number' }, moneyElement(row.spend)),
        element('td', { className: 'number', text: formatShare(row.share) }),
      ),
    );
  });
  return element('table', { className: 'spend-table' }, element('thead', {}, header), body);
}

/** The most expensive prompts in the range; a click opens the file. */
export function topPrompts(report: CostReport, host: ReportHost): HTMLElement | null {
  if (report.topPrompts.length === 0) return null;
  const list = element('ol', { className: 'prompt-list' });
  report.topPrompts.forEach((prompt, index) => {
    const label = `${prompt.source ?? '(no source)'}${prompt.jobId ? ` #${prompt.jobId}` : ''}`;
    const source = prompt.source;
    const name = source
      ? button(label, () => host.post({ type: 'openFile', path: source }), {
          className: 'link',
          focusKey: `prompt-${index}`,
          title: `Open ${source}`,
        })
      : element('span', { text: label });
    list.append(
      element(
        'li',
        {},
        name,
        element('span', { className: 'hint', text: ` ${prompt.model} · ${prompt.calls} call(s) · ` }),
        moneyElement(prompt.spend),
      ),
    );
  });
  return section('Most expensive prompts', 'top-prompts', list, ...moreHint(report.more.topPrompts));
}

/** Recent batch runs with their status; a click opens the run's results. */
export function recentRuns(report: CostReport, host: ReportHost): HTMLElement | null {
  if (report.recentRuns.length === 0) return null;
  const list = element('ul', { className: 'run-list' });
  report.recentRuns.forEach((run, index) => list.append(runItem(run, index, host)));
  return section('Recent runs', 'recent-runs', list, ...moreHint(report.more.recentRuns));
}

function runItem(run: RunSummary, index: number, host: ReportHost): HTMLLIElement {
  const jobs = run.jobs
    ? `${run.jobs.done}/${run.jobs.total} jobs${run.jobs.failed > 0 ? `, ${run.jobs.failed} failed` : ''}`
    : `${run.calls} call(s)`;
  const estimate = run.estimateUsd === null ? '' : ` (estimate $${run.estimateUsd.toFixed(4)})`;
  const budgetNote =
    run.budgetLevel === 'ok'
      ? null
      : element('span', {
          className: `badge level-${run.budgetLevel}`,
          text: `${formatShare(run.budgetFraction)} of run budget`,
        });
  return element(
    'li',
    { className: 'run', attributes: { 'data-run': run.id } },
    element(
      'div',
      { className: 'run-line' },
      button(run.id, () => host.post({ type: 'openRun', runId: run.id }), {
        className: 'link',
        focusKey: `run-${index}`,
        title: "Open the run's results",
      }),
      element('span', { className: `badge status-${run.status}`, text: run.status }),
      budgetNote,
    ),
    element(
      'div',
      { className: 'hint' },
      element('span', { text: `${run.source ?? ''}${run.source ? ' · ' : ''}${jobs} · ` }),
      moneyElement(run.spend),
      element('span', { text: estimate }),
    ),
    run.lastError ? element('div', { className: 'run-error', text: `Last error: ${run.lastError}` }) : null,
  );
}
