import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { reportToCsv } from '../core/report/reportCsv';
import type { ExportFormat } from '../shared/reportMessages';
import type { CostReportService } from './costReportService';
import { DisposableStore } from './disposableStore';
import { COMMANDS, COST_REPORT_VIEW } from './ids';

/** Registers Open Cost Report and Export Cost Report. */
export function registerReportCommands(reports: CostReportService, log: vscode.LogOutputChannel): vscode.Disposable {
  const store = new DisposableStore();
  store.add(
    vscode.commands.registerCommand(COMMANDS.openCostReport, async () => {
      // Every view gets a `<id>.focus` command: it opens the container and reveals the view.
      await vscode.commands.executeCommand(`${COST_REPORT_VIEW}.focus`);
      reports.refresh(0);
    }),
  );
  store.add(
    vscode.commands.registerCommand(COMMANDS.exportCostReport, (format?: unknown) =>
      exportReport(reports, log, format === 'csv' || format === 'json' ? format : undefined),
    ),
  );
  return store;
}

/** Asks where to save (and the format, when not given) and writes the report as CSV or as the CLI's JSON. */
async function exportReport(
  reports: CostReportService,
  log: vscode.LogOutputChannel,
  format: ExportFormat | undefined,
): Promise<void> {
  const chosen =
    format ??
    (
      await vscode.window.showQuickPick(
        [
          { label: 'CSV', description: 'one row per figure, for spreadsheets', format: 'csv' as const },
          {
            label: 'JSON',
            description: 'every row; the same object as `promptmeter report --json --all`',
            format: 'json' as const,
          },
        ],
        { title: 'Export Cost Report' },
      )
    )?.format;
  if (!chosen) return;
  const report = await reports.current({ complete: true });
  if (!report) return;
  const folder = reports.folder?.uri ?? vscode.Uri.file(homedir());
  const day = report.generatedAt.slice(0, 10);
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, `cost-report-${day}.${chosen}`),
    filters: chosen === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    title: 'Export Cost Report',
  });
  if (!target) return;
  const text = chosen === 'csv' ? reportToCsv(report) : `${JSON.stringify(report, null, 2)}\n`;
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(
      `Prompt Meter: cost report saved to ${vscode.workspace.asRelativePath(target)}.`,
    );
  } catch (error) {
    log.error(`Export Cost Report: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Prompt Meter: could not save the cost report: ${(error as Error).message}`);
  }
}
