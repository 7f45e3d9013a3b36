import * as vscode from 'vscode';
import { editsText } from '../core/compare/changeText';
import { comparisonCsv } from '../core/compare/comparisonExport';
import type { SavedComparison } from '../core/compare/compareTypes';
import {
  isComparisonWebviewMessage,
  type ComparisonExportFormat,
  type ComparisonHostMessage,
} from '../shared/compareMessages';
import { webviewPage, webviewRoots } from './webviewPages';
import { DisposableStore } from './disposableStore';
import { COMPARISON_PANEL } from './ids';
import type { ModelCommands } from './modelCommands';

/** What the panel shows: a saved comparison of one prompt file. */
export interface ShownComparison {
  readonly uri: vscode.Uri;
  readonly saved: SavedComparison;
  readonly savedPath: string;
  readonly currentModel: string | null;
}

/** The open panel and what it shows (replaced on Switch). */
interface OpenPanel {
  readonly webview: vscode.WebviewPanel;
  shown: ShownComparison;
  notice: string | null;
  ready: boolean;
}

/**
 * The Compare Models result, a webview panel beside the prompt, built by the Cost Report's rules (CSP with a
 * nonce, one bundled script, data as messages rendered with textContent, theme colours). It can switch the prompt
 * only to a model the comparison measured, with the edits the comparison found for it (the same apply path as
 * Recommend Model and Choose Model), export the comparison, and open its saved JSON.
 */
export class ComparisonPanel implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private panel: OpenPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly models: ModelCommands,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add({ dispose: () => this.panel?.webview.dispose() });
  }

  show(shown: ShownComparison): void {
    this.panel?.webview.dispose();
    const title = `Compare Models — ${shown.saved.file.split('/').pop() ?? shown.saved.file}`;
    const webview = vscode.window.createWebviewPanel(COMPARISON_PANEL, title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      localResourceRoots: webviewRoots(this.extensionUri),
    });
    webview.webview.html = webviewPage(webview.webview, this.extensionUri, {
      script: 'compare.js',
      stylesheet: 'compare.css',
      title,
    });
    const panelStore = new DisposableStore();
    const panel: OpenPanel = { webview, shown, notice: null, ready: false };
    this.panel = panel;
    panelStore.add(
      webview.webview.onDidReceiveMessage((message: unknown) => {
        if (!isComparisonWebviewMessage(message)) {
          this.log.warn('Compare Models: ignored a malformed message from the webview.');
          return;
        }
        switch (message.type) {
          case 'ready':
            panel.ready = true;
            this.send(panel);
            return;
          case 'switch':
            void this.switchTo(panel, message.model);
            return;
          case 'export':
            void this.export(panel.shown, message.format);
            return;
          case 'openJson':
            void vscode.window.showTextDocument(vscode.Uri.file(panel.shown.savedPath), {
              preview: true,
              viewColumn: vscode.ViewColumn.Active,
            });
            return;
        }
      }),
    );
    panelStore.add(
      webview.onDidDispose(() => {
        panelStore.dispose();
        if (this.panel === panel) this.panel = undefined;
      }),
    );
  }

  private send(panel: OpenPanel): void {
    if (!panel.ready) return;
    const message: ComparisonHostMessage = {
      type: 'comparison',
      comparison: panel.shown.saved,
      currentModel: panel.shown.currentModel,
      notice: panel.notice,
    };
    void panel.webview.webview.postMessage(message);
  }

  /** Writes `model` with the edits the comparison found for it; only models the comparison measured. */
  private async switchTo(panel: OpenPanel, model: string): Promise<void> {
    const line = panel.shown.saved.models.find((candidate) => candidate.model === model);
    if (!line) {
      this.log.warn(`Compare Models: ignored a switch to ${model}, which the comparison did not measure.`);
      return;
    }
    // The current model has no edits in the comparison: let the apply path work out what it needs.
    const applied = await this.models.applyModel(
      panel.shown.uri,
      model,
      'recommendation',
      line.edits.length > 0 ? line.edits : undefined,
    );
    const edits = editsText(line.edits);
    panel.notice = applied
      ? `Switched ${panel.shown.saved.file} to ${model}${edits ? ` (${edits})` : ''}: ${line.passed}/${line.total} passed in this comparison. Save the file to keep it.`
      : `${panel.shown.saved.file} was not changed.`;
    if (applied) panel.shown = { ...panel.shown, currentModel: model };
    this.send(panel);
  }

  private async export(shown: ShownComparison, format: ComparisonExportFormat): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(shown.uri)?.uri ?? vscode.Uri.file(shown.savedPath);
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `comparison-${shown.saved.id}.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      saveLabel: 'Export Comparison',
    });
    if (!target) return;
    const text = format === 'csv' ? comparisonCsv(shown.saved) : `${JSON.stringify(shown.saved, null, 2)}\n`;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(
      `Prompt Meter: comparison exported to ${vscode.workspace.asRelativePath(target, false)}.`,
    );
  }

  dispose(): void {
    this.store.dispose();
  }
}
