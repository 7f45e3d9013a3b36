import * as vscode from 'vscode';
import type { Estimator } from '../core/estimate/estimator';
import { systemPromptFingerprint, type SystemPromptFingerprint } from '../core/estimate/repeatedSystemPrompts';
import { resolveModel } from '../core/models/resolveModel';
import { promptFormatFor } from '../core/prompts/promptFileKind';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

const SCANNED_FILES = '**/*.{prompt.md,prompty,prompt,md,txt}';
const EXCLUDED = '**/{node_modules,.git,dist,out,.promptmeter}/**';
const MAXIMUM_FILES = 1000;
const MAXIMUM_FILE_BYTES = 512 * 1024;

/**
 * Fingerprints of long system prompts across the workspace, so a prompt can be told that the same system
 * prompt is repeated elsewhere. Built in the background after activation; updated on save.
 */
export class SystemPromptIndex implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly fingerprints = new Map<string, SystemPromptFingerprint>();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(
      vscode.workspace.onDidSaveTextDocument(
        (document) => void this.indexText(document.uri, document.getText()).then(() => this.changed.fire()),
      ),
    );
    this.store.add(
      vscode.workspace.onDidDeleteFiles((event) =>
        event.files.forEach((uri) => this.fingerprints.delete(vscode.workspace.asRelativePath(uri, false))),
      ),
    );
  }

  all(): Iterable<SystemPromptFingerprint> {
    return this.fingerprints.values();
  }

  /** Scans the workspace once (cancellable with the returned promise ignored on dispose). */
  async build(): Promise<void> {
    const started = Date.now();
    const uris = await vscode.workspace.findFiles(SCANNED_FILES, EXCLUDED, MAXIMUM_FILES);
    for (const uri of uris) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAXIMUM_FILE_BYTES) continue;
        const bytes = await vscode.workspace.fs.readFile(uri);
        await this.indexText(uri, Buffer.from(bytes).toString('utf8'));
      } catch (error) {
        this.log.debug(`System prompt index skipped ${uri.toString()}: ${(error as Error).message}`);
      }
    }
    this.log.info(`Indexed system prompts of ${this.fingerprints.size} files in ${Date.now() - started} ms.`);
    this.changed.fire();
  }

  private async indexText(uri: vscode.Uri, text: string): Promise<void> {
    const relative = vscode.workspace.asRelativePath(uri, false);
    const format = promptFormatFor(relative, this.settings.current.promptFolders);
    if (!format || format === 'batch-jsonl') return;
    const parsed = this.estimator.parse(relative, text, format);
    const prompt = parsed.prompts[0];
    if (!prompt) return;
    const encoding = resolveModel(
      prompt.model ?? this.settings.current.defaultModel,
      this.settings.current.pricingOverrides,
    ).encoding.encoding;
    await this.estimator.load([encoding]);
    const fingerprint = systemPromptFingerprint(prompt, this.estimator.counter(encoding));
    if (fingerprint) this.fingerprints.set(relative, fingerprint);
    else this.fingerprints.delete(relative);
  }

  dispose(): void {
    this.store.dispose();
  }
}
