import * as vscode from 'vscode';
import type { CostReport } from '../core/report/costReportTypes';
import { formatMoney, formatShare } from '../core/report/formatMoney';
import type { CostReportService } from './costReportService';
import { DisposableStore } from './disposableStore';
import { COMMANDS } from './ids';
import { formatBudgetUsd } from '../core/estimate/formatting';

/**
 * Month-to-date spend from the cost ledger, next to the live estimate (which sits at priority 100); warning and
 * error colours at 80% and 100% of the monthly budget. Click opens the Cost Report. Hidden while the ledger is
 * empty and no budget is set.
 */
export class SpendStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item = this.store.add(
    vscode.window.createStatusBarItem('promptmeter.spend', vscode.StatusBarAlignment.Right, 99),
  );

  constructor(private readonly reports: CostReportService) {
    this.item.name = 'Prompt Meter: spend this month';
    this.item.command = COMMANDS.openCostReport;
    this.store.add(reports.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const report = this.reports.report;
    if (!report || (report.ledger.entries === 0 && report.budget.monthly === null)) {
      this.item.hide();
      return;
    }
    this.item.text = spendStatusText(report);
    this.item.tooltip = tooltip(report);
    const level = report.budget.level;
    this.item.backgroundColor =
      level === 'ok'
        ? undefined
        : new vscode.ThemeColor(
            level === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground',
          );
    this.item.show();
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** `$(graph-line) $0.53 this month`, or `… $0.53 / $10.00 this month` with a monthly budget. */
export function spendStatusText(report: CostReport): string {
  const budget = report.budget.monthly === null ? '' : ` / ${formatBudgetUsd(report.budget.monthly)}`;
  return `$(graph-line) ${formatMoney(report.spend.month)}${budget} this month`;
}

function tooltip(report: CostReport): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = false;
  const { spend, budget } = report;
  markdown.appendText(
    `Spend (from the cost ledger): today ${formatMoney(spend.today)} · last 7 days ${formatMoney(spend.last7Days)} · this month ${formatMoney(spend.month)}`,
  );
  if (budget.monthly !== null)
    markdown.appendText(
      `\n\nMonthly budget ${formatBudgetUsd(budget.monthly)}: ${formatShare(budget.fraction)} used (${budget.level}).`,
    );
  markdown.appendText(
    `\n\nSaved in this range: ${formatMoney(report.savings.total)}. Prices as of ${report.pricesAsOf}. Click to open the Cost Report.`,
  );
  return markdown;
}
