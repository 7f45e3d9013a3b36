import type { CostReport } from '../core/report/costReportTypes';
import { formatShare } from '../core/report/formatMoney';
import { REPORT_RANGE_NAMES, rangeLabel } from '../core/report/reportPeriods';
import type { ReportSnapshotMessage } from '../shared/reportMessages';
import { button, element, fractionBar, section } from './dom';
import { moneyElement } from './money';
import type { ReportHost } from './vscodeApi';

/** Range buttons (a toolbar; the pressed one is the range the breakdowns cover). */
export function rangePicker(snapshot: ReportSnapshotMessage, host: ReportHost): HTMLElement {
  const toolbar = element('div', {
    className: 'range-picker',
    attributes: { role: 'toolbar', 'aria-label': 'Range of the breakdowns' },
  });
  for (const range of REPORT_RANGE_NAMES) {
    const pressed = snapshot.report.range.name === range;
    toolbar.append(
      button(rangeLabel(range), () => host.post({ type: 'setRange', range }), {
        className: pressed ? 'pressed' : '',
        focusKey: `range-${range}`,
        attributes: { 'aria-pressed': String(pressed) },
      }),
    );
  }
  return toolbar;
}

/** Spend today, last 7 days and this month. */
export function totals(report: CostReport): HTMLElement {
  const tile = (id: string, label: string, amount: CostReport['spend']['today']) =>
    element(
      'div',
      { className: 'total', attributes: { id } },
      element('div', { className: 'total-label', text: label }),
      moneyElement(amount, 'total-value'),
    );
  return element(
    'div',
    { className: 'totals', attributes: { role: 'group', 'aria-label': 'Spend' } },
    tile('spend-today', 'Today', report.spend.today),
    tile('spend-week', 'Last 7 days', report.spend.last7Days),
    tile('spend-month', 'This month', report.spend.month),
    report.truncated && report.truncated.calls > 0
      ? element(
          'div',
          { className: 'hint', attributes: { id: 'spend-truncated' } },
          element('span', { text: 'Spent on truncated answers: ' }),
          moneyElement(report.truncated.spend),
          element('span', { text: ` (${report.truncated.calls} cut off or empty)` }),
        )
      : null,
  );
}

/** Month-to-date spend against the monthly budget, or a way to set one. */
export function budget(report: CostReport, host: ReportHost): HTMLElement {
  const status = report.budget;
  if (status.monthly === null) {
    return element(
      'div',
      { className: 'budget budget-none', attributes: { id: 'budget' } },
      element('span', { text: 'No monthly budget. ' }),
      button('Set a budget…', () => host.post({ type: 'openSettings' }), {
        className: 'link',
        focusKey: 'budget-settings',
      }),
    );
  }
  const levelText = {
    ok: '',
    warning: ' — over 80%',
    exceeded: ' — budget exceeded: runs will not start without an override',
  }[status.level];
  const perRun =
    status.perRun === null
      ? null
      : element('div', {
          className: 'hint',
          text: `Per-run budget $${status.perRun.toFixed(2)}${status.runsOverBudget > 0 ? ` · ${status.runsOverBudget} recent run(s) over it` : ''}`,
        });
  return element(
    'div',
    { className: `budget level-${status.level}`, attributes: { id: 'budget' } },
    element(
      'div',
      { className: 'budget-line' },
      element('span', { text: 'Budget ' }),
      moneyElement(status.used),
      element('span', { text: ` of $${status.monthly.toFixed(2)} (${formatShare(status.fraction)})${levelText}` }),
    ),
    fractionBar(status.fraction ?? 0, `level-${status.level}`, `Monthly budget used: ${formatShare(status.fraction)}`),
    perRun,
    status.used.unpriced > 0
      ? element('div', {
          className: 'hint',
          text: `${status.used.unpriced} call(s) with an unknown price are not counted.`,
        })
      : null,
  );
}

/** Savings by cause with their share; each cause opens to its counterfactual and its parts. */
export function savings(report: CostReport): HTMLElement {
  const { causes, total } = report.savings;
  if (causes.length === 0)
    return section(
      'Savings by cause',
      'savings',
      element('p', {
        className: 'hint',
        text: 'No savings recorded in this range: nothing was served from a cache, deduplicated, batched or moved to a cheaper model.',
      }),
    );
  const list = element('div', { className: 'cause-list' });
  for (const cause of causes) {
    const detail = element('ul', { className: 'cause-detail' });
    for (const part of cause.detail)
      detail.append(
        element('li', {}, element('span', { text: `${part.label} (${part.evidence}) ` }), moneyElement(part.amount)),
      );
    list.append(
      element(
        'details',
        { className: 'cause', attributes: { 'data-cause': cause.cause } },
        element(
          'summary',
          {},
          element('span', { className: 'cause-label', text: cause.label }),
          moneyElement(cause.amount, 'cause-amount'),
          element('span', { className: 'cause-share', text: formatShare(cause.share) }),
        ),
        fractionBar(cause.share ?? 0, 'share', `${cause.label}: ${formatShare(cause.share) || 'no'} share of savings`),
        element('p', {
          className: 'hint',
          text: `${cause.evidence} ${cause.unit}. Counterfactual: ${cause.counterfactual}`,
        }),
        detail,
      ),
    );
  }
  return section(
    'Savings by cause',
    'savings',
    element(
      'div',
      { className: 'savings-total' },
      element('span', { text: 'Saved ' }),
      moneyElement(total, 'savings-total-value'),
    ),
    list,
  );
}

/** Prices as of, whose ledger it is (the workspace folder: a multi-root workspace shows one folder), and the exports. */
export function footer(report: CostReport, host: ReportHost, workspaceName: string | null = null): HTMLElement {
  const skipped =
    report.ledger.skippedLines > 0 ? ` · ${report.ledger.skippedLines} unreadable ledger line(s) not counted` : '';
  return element(
    'footer',
    { className: 'report-footer' },
    element('div', {
      className: 'hint',
      attributes: { id: 'prices-as-of' },
      text: `Prices as of ${report.pricesAsOf} (${report.priceSource})${skipped}. Amounts in USD, from the cost ledger${workspaceName ? ` of ${workspaceName}` : ''}.`,
    }),
    element(
      'div',
      { className: 'actions' },
      button('Export CSV', () => host.post({ type: 'export', format: 'csv' }), { focusKey: 'export-csv' }),
      button('Export JSON', () => host.post({ type: 'export', format: 'json' }), { focusKey: 'export-json' }),
    ),
  );
}

/** What to do to get the first numbers. */
export function emptyState(snapshot: ReportSnapshotMessage): HTMLElement {
  const text =
    snapshot.workspaceName === null
      ? "Open a folder to see its costs: Prompt Meter keeps a cost ledger in the folder's .promptmeter/ledger/."
      : 'No calls recorded yet. Run a prompt or a batch through Prompt Meter (or the promptmeter CLI): every call and cache hit is written to .promptmeter/ledger/, and this view fills in as calls finish — spend, savings by cause and your budget.';
  return element(
    'div',
    { className: 'empty-state', attributes: { id: 'empty-state', role: 'status' } },
    element('h2', { text: 'No costs yet' }),
    element('p', { text }),
  );
}
