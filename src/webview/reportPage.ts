import type { ReportSnapshotMessage } from '../shared/reportMessages';
import { element, section } from './dom';
import { breakdown, recentRuns, topPrompts } from './reportTables';
import { budget, emptyState, footer, rangePicker, savings, totals } from './reportSummary';
import { SpendChart } from './spendChart';
import type { ReportHost, ReportViewState } from './vscodeApi';

/**
 * The Cost Report page: renders each snapshot in full (the host always sends the whole state), keeps the
 * chart's canvas across renders, and puts keyboard focus back on the control that had it.
 */
export class ReportPage {
  private snapshot: ReportSnapshotMessage | undefined;
  private state: ReportViewState;
  private readonly canvas = element('canvas', { attributes: { role: 'img', 'aria-label': 'Spend per day' } });
  private readonly chartBox = element('div', { className: 'chart-box' }, this.canvas);
  private chart: Promise<SpendChart> | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: ReportHost,
  ) {
    this.state = host.state();
  }

  show(snapshot: ReportSnapshotMessage): void {
    this.snapshot = snapshot;
    this.render();
  }

  private render(): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    const { report } = snapshot;
    const problem = snapshot.problem
      ? element('div', { className: 'problem', attributes: { role: 'alert' }, text: snapshot.problem })
      : null;
    if (report.ledger.entries === 0 && report.recentRuns.length === 0) {
      this.root.replaceChildren(
        ...[problem, emptyState(snapshot), budget(report, this.host)].filter((node) => node !== null),
      );
      return;
    }
    const daily = report.daily;
    const unknownDays = daily.filter((day) => day.spend.unpriced > 0).length;
    this.canvas.setAttribute(
      'aria-label',
      `Spend per day from ${daily[0]?.day ?? ''} to ${daily.at(-1)?.day ?? ''}${unknownDays > 0 ? `; ${unknownDays} day(s) include calls with an unknown price, not drawn` : ''}`,
    );
    const nodes = [
      problem,
      rangePicker(snapshot, this.host),
      totals(report),
      budget(report, this.host),
      savings(report),
      section('Spend over time', 'chart', this.chartBox),
      breakdown(report, this.state.breakdown, this.host, (shown) => {
        this.state = { ...this.state, breakdown: shown };
        this.host.saveState(this.state);
        this.render();
      }),
      topPrompts(report, this.host),
      recentRuns(report, this.host),
      footer(report, this.host, snapshot.workspaceName),
    ];
    this.root.replaceChildren(...nodes.filter((node) => node !== null));
    if (focused) this.root.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
    this.chart ??= SpendChart.create(this.canvas);
    void this.chart.then((chart) => chart.update(daily));
  }
}
