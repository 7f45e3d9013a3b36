import * as vscode from 'vscode';
import { isRunId } from '../core/report/runRecord';
import { WorkspaceLayout } from '../core/workspace/workspaceLayout';
import { isReportWebviewMessage, type ReportHostMessage, type ReportWebviewMessage } from '../shared/reportMessages';
import { webviewPage, webviewRoots } from './webviewPages';
import type { CostReportService } from './costReportService';
import { DisposableStore } from './disposableStore';
import { COMMANDS, CONFIGURATION_SECTION, COST_REPORT_VIEW } from './ids';

/**
 * The "Cost Report" webview view in the Prompt Meter activity bar container. The page holds no data: once it
 * says `ready`, it gets a full snapshot, and another one whenever the report changes. Messages from the page are
 * validated, and it can only open files and runs that the report itself lists.
 */
export class CostReportView implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly store = new DisposableStore();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly reports: CostReportService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.window.registerWebviewViewProvider(COST_REPORT_VIEW, this));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const viewStore = new DisposableStore();
    this.store.add(viewStore);
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewPage(view.webview, this.extensionUri, {
      script: 'webview.js',
      stylesheet: 'costReport.css',
      title: 'Cost Report',
    });
    let ready = false;
    const send = () => {
      if (!ready || !this.reports.report) return;
      const message: ReportHostMessage = {
        type: 'snapshot',
        report: this.reports.report,
        range: this.reports.range,
        workspaceName: this.reports.folder?.name ?? null,
        problem: this.reports.problem,
      };
      void view.webview.postMessage(message);
    };
    viewStore.add(this.reports.onDidChange(send));
    viewStore.add(
      view.webview.onDidReceiveMessage((message: unknown) => {
        if (!isReportWebviewMessage(message)) {
          this.log.warn('Cost Report: ignored a malformed message from the webview.');
          return;
        }
        if (message.type === 'ready') {
          ready = true;
          send();
          this.reports.refresh(0);
        } else void this.handle(message);
      }),
    );
    viewStore.add(view.onDidChangeVisibility(() => view.visible && this.reports.refresh(0)));
    viewStore.add(view.onDidDispose(() => viewStore.dispose()));
  }

  private async handle(message: Exclude<ReportWebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'setRange':
        this.reports.setRange(message.range);
        return;
      case 'export':
        await vscode.commands.executeCommand(COMMANDS.exportCostReport, message.format);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', `${CONFIGURATION_SECTION}.budget`);
        return;
      case 'openFile':
        await this.openFile(message.path);
        return;
      case 'openRun':
        await this.openRun(message.runId);
        return;
    }
  }

  /** Opens a prompt file the report lists, inside the workspace folder. */
  private async openFile(relativePath: string): Promise<void> {
    const report = this.reports.report;
    const folder = this.reports.folder;
    const listed =
      report?.byFile.some((row) => row.source === relativePath) ||
      report?.topPrompts.some((prompt) => prompt.source === relativePath);
    if (!folder || !listed) return;
    const uri = vscode.Uri.joinPath(folder.uri, relativePath);
    if (!isInside(folder.uri, uri)) return;
    try {
      await vscode.window.showTextDocument(uri, { preview: true });
    } catch {
      void vscode.window.showWarningMessage(
        `Prompt Meter: ${relativePath} is not a file in ${folder.name} (the ledger records it as the prompt's source).`,
      );
    }
  }

  /** Opens the run view of a run the report lists (its jobs, models, statuses, costs and answers). */
  private async openRun(runId: string): Promise<void> {
    const report = this.reports.report;
    const folder = this.reports.folder;
    const listed =
      report?.recentRuns.some((run) => run.id === runId) || report?.byRun.some((row) => row.name === runId);
    if (!folder || !listed || !isRunId(runId)) return;
    const runFolder = vscode.Uri.file(new WorkspaceLayout(folder.uri.fsPath).run(runId));
    const exists = await vscode.workspace.fs.stat(vscode.Uri.joinPath(runFolder, 'run.json')).then(
      () => true,
      () => false,
    );
    if (exists) {
      await vscode.commands.executeCommand(COMMANDS.openRunView, runFolder);
      return;
    }
    void vscode.window.showWarningMessage(`Prompt Meter: run ${runId} has no results folder in ${folder.name}.`);
  }

  dispose(): void {
    this.store.dispose();
  }
}

function isInside(folder: vscode.Uri, candidate: vscode.Uri): boolean {
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return candidate.scheme === folder.scheme && candidate.path.startsWith(base);
}
