import * as vscode from 'vscode';
import type { FileEstimate } from '../core/estimate/estimateFile';
import type { Estimator } from '../core/estimate/estimator';
import { promptFormatFor } from '../core/prompts/promptFileKind';
import type { PromptFormat } from '../core/prompts/promptTypes';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

/** How long typing must pause before a prompt is re-estimated. Counting is exact and incremental, so this is short. */
const ESTIMATE_DELAY_MS = 60;
const ESTIMATED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

interface Entry {
  version: number;
  estimate: FileEstimate;
}

/**
 * The live estimates of open prompt documents: recomputed (debounced) as they change, cached by version,
 * and announced through `onDidChange`. Never touches the network.
 */
export class PromptDocuments implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)));
    this.store.add(vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)));
    this.store.add(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.entries.delete(document.uri.toString());
        this.cancel(document.uri.toString());
      }),
    );
    this.store.add(
      settings.onDidChange((current) => {
        this.estimator.updateSettings(current);
        this.reestimateAll();
      }),
    );
    this.store.add({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
  }

  /** The model a prompt without one runs on (`promptmeter.defaultModel`). */
  get defaultModel(): string {
    return this.settings.current.defaultModel;
  }

  /** Estimates every open document again (settings or the evidence behind estimates changed). */
  reestimateAll(): void {
    this.entries.clear();
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  formatOf(document: vscode.TextDocument): PromptFormat | undefined {
    if (!ESTIMATED_SCHEMES.has(document.uri.scheme)) return undefined;
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    const firstLines = document.uri.path.endsWith('.jsonl')
      ? document.getText(new vscode.Range(0, 0, 5, 0))
      : undefined;
    return promptFormatFor(relative, this.settings.current.promptFolders, firstLines);
  }

  /** The latest estimate (possibly one edit behind while typing); undefined until the first one is ready. */
  get(document: vscode.TextDocument): FileEstimate | undefined {
    const entry = this.entries.get(document.uri.toString());
    if (!entry) this.schedule(document, 0);
    return entry?.estimate;
  }

  /** Waits for an up-to-date estimate (commands use this; views use `get`). */
  async current(document: vscode.TextDocument): Promise<FileEstimate | undefined> {
    const format = this.formatOf(document);
    if (!format) return undefined;
    const entry = this.entries.get(document.uri.toString());
    if (entry && entry.version === document.version) return entry.estimate;
    return this.compute(document, format);
  }

  private schedule(document: vscode.TextDocument, delay = ESTIMATE_DELAY_MS): void {
    const format = this.formatOf(document);
    if (!format) return;
    const key = document.uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.compute(document, format);
      }, delay),
    );
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private async compute(document: vscode.TextDocument, format: PromptFormat): Promise<FileEstimate | undefined> {
    const version = document.version;
    const text = document.getText();
    const relative = vscode.workspace.asRelativePath(document.uri, false);
    try {
      const parsed = this.estimator.parse(relative, text, format);
      const estimate = this.estimator.tryEstimate(parsed, text) ?? (await this.estimator.estimate(parsed, text));
      const key = document.uri.toString();
      const existing = this.entries.get(key);
      if (document.isClosed || (existing && existing.version > version)) return existing?.estimate;
      this.entries.set(key, { version, estimate });
      this.changed.fire(document.uri);
      return estimate;
    } catch (error) {
      this.log.error(`Estimating ${relative} failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}
