import * as vscode from 'vscode';
import { comparisonLabel } from '../core/compare/comparisonLabel';
import { ComparisonStore, promptTextHash } from '../core/compare/comparisonStore';
import type { SavedComparison } from '../core/compare/compareTypes';
import { DisposableStore } from './disposableStore';
import { layoutOf } from './workspaceFolders';

/**
 * The saved comparisons behind "tested: 19/20 pass" (status bar, CodeLens, Recommend Model): the newest comparison
 * of a document's file run on exactly its current text. Read from `.promptmeter/comparisons/` once per file and
 * text, cached, and read again when a comparison is saved (here or by the CLI: a file watcher). Never the network.
 */
export class ComparisonResults implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly found = new Map<string, SavedComparison | null>();
  private readonly hashes = new Map<string, { version: number; hash: string }>();

  constructor() {
    // Every workspace folder's comparisons (a string glob is matched in each folder, recursively, so a comparisons
    // folder created later is seen too).
    const watcher = this.store.add(vscode.workspace.createFileSystemWatcher('**/.promptmeter/comparisons/*.json'));
    this.store.add(watcher.onDidCreate(() => this.invalidate()));
    this.store.add(watcher.onDidChange(() => this.invalidate()));
    this.store.add(watcher.onDidDelete(() => this.invalidate()));
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()));
    this.store.add(vscode.workspace.onDidCloseTextDocument((document) => this.hashes.delete(document.uri.toString())));
  }

  /**
   * `.promptmeter/comparisons` of the workspace folder holding `uri` (multi-root: each folder keeps its own), else of
   * the first folder; undefined without a folder.
   */
  folder(uri?: vscode.Uri): string | undefined {
    return layoutOf(uri)?.comparisons;
  }

  /** The newest comparison of this document's file on its current text, if any. */
  latestFor(document: vscode.TextDocument): SavedComparison | undefined {
    const folder = this.folder(document.uri);
    if (!folder) return undefined;
    const key = `${folder}\n${vscode.workspace.asRelativePath(document.uri, false)}\n${this.hashOf(document)}`;
    if (!this.found.has(key)) {
      const [, file, hash] = key.split('\n') as [string, string, string];
      this.found.set(key, new ComparisonStore(folder).latestFor(file, hash) ?? null);
    }
    return this.found.get(key) ?? undefined;
  }

  /** "tested: 19/20 pass" when a comparison of the current text measured `model`, otherwise "untested". */
  labelFor(document: vscode.TextDocument, model: string): string {
    return comparisonLabel(this.latestFor(document), model);
  }

  /** A comparison was saved: read again. */
  invalidate(): void {
    this.found.clear();
    this.changed.fire();
  }

  private hashOf(document: vscode.TextDocument): string {
    const id = document.uri.toString();
    const cached = this.hashes.get(id);
    if (cached && cached.version === document.version) return cached.hash;
    const hash = promptTextHash(document.getText());
    this.hashes.set(id, { version: document.version, hash });
    return hash;
  }

  dispose(): void {
    this.store.dispose();
  }
}
