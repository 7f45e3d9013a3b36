import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../core/runs/runStore';
import { runViewModel } from '../core/runView/runViewModel';
import { isRunViewWebviewMessage, type RunViewHostMessage } from '../shared/runViewMessages';
import { webviewPage, webviewRoots } from './webviewPages';
import { DisposableStore } from './disposableStore';
import { allLayouts } from './workspaceFolders';

const RUN_VIEW_PANEL = 'promptmeter.runView';

/**
 * "Prompt Meter: Open Run View": one webview panel per run (opening a run again reveals its panel) with the job,
 * model, status, cost and output of every job, read from `.promptmeter/runs/<id>/` (read-only). Same webview rules
 * as the Cost Report: CSP with a nonce, one bundled script, data sent as a snapshot after `ready` and rendered
 * with textContent.
 */
export class RunViewPanels implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add({ dispose: () => this.panels.forEach((panel) => panel.dispose()) });
  }

  /** `run`: a run id, a run folder path or URI; without it, a quick pick of the workspace's recent runs. */
  async open(run?: unknown): Promise<void> {
    const directory =
      typeof run === 'string' || run instanceof vscode.Uri ? this.runDirectory(run) : await this.pickRun();
    if (!directory) return;
    let model;
    try {
      model = runViewModel(new RunStore(path.dirname(directory)).open(directory));
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Prompt Meter: cannot open the run in ${directory}: ${(error as Error).message}`,
      );
      return;
    }
    const existing = this.panels.get(directory);
    if (existing) {
      existing.reveal();
      void existing.webview.postMessage({ type: 'snapshot', run: model } satisfies RunViewHostMessage);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUN_VIEW_PANEL, `Run ${model.id}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(this.extensionUri),
    });
    this.panels.set(directory, panel);
    const panelStore = new DisposableStore();
    panel.webview.html = webviewPage(panel.webview, this.extensionUri, {
      script: 'runView.js',
      stylesheet: 'runView.css',
      title: `Run ${model.id}`,
    });
    panelStore.add(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isRunViewWebviewMessage(message)) {
          this.log.warn('Run view: ignored a malformed message from the webview.');
          return;
        }
        try {
          const fresh = runViewModel(new RunStore(path.dirname(directory)).open(directory));
          void panel.webview.postMessage({ type: 'snapshot', run: fresh } satisfies RunViewHostMessage);
        } catch (error) {
          this.log.warn(`Run view: cannot read ${directory}: ${(error as Error).message}`);
        }
      }),
    );
    panelStore.add(
      panel.onDidDispose(() => {
        this.panels.delete(directory);
        panelStore.dispose();
      }),
    );
  }

  /** A run id names the run of that id in whichever workspace folder has it (multi-root: each keeps its own runs). */
  private runDirectory(run: string | vscode.Uri): string | undefined {
    if (run instanceof vscode.Uri) return run.fsPath;
    if (path.isAbsolute(run)) return run;
    if (run.includes('/') || run.includes('\\') || run.startsWith('.')) return undefined;
    const candidates = allLayouts().map((layout) => layout.run(run));
    return candidates.find((directory) => existsSync(directory)) ?? candidates[0];
  }

  private async pickRun(): Promise<string | undefined> {
    const layouts = allLayouts();
    const many = layouts.length > 1;
    const runs = layouts
      .flatMap((layout) =>
        new RunStore(layout.runs)
          .list()
          .map((run) => ({ run, layout, where: many ? ` · ${path.basename(layout.root)}` : '' })),
      )
      .sort((a, b) => b.run.createdAt.localeCompare(a.run.createdAt));
    if (runs.length === 0) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: no runs in this workspace yet (Run Prompts Folder makes one).',
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      runs.slice(0, 50).map(({ run, layout, where }) => ({
        label: run.id,
        description: `${run.source} · ${run.status}${where}`,
        detail: `${run.jobs.done}/${run.jobs.total} jobs${run.jobs.failed > 0 ? `, ${run.jobs.failed} failed` : ''}`,
        directory: layout.run(run.id),
      })),
      { title: 'Prompt Meter: open a run', placeHolder: 'Recent runs, newest first' },
    );
    return picked?.directory;
  }

  dispose(): void {
    this.store.dispose();
  }
}
