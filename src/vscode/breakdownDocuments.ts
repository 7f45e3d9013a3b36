import * as vscode from 'vscode';
import { fileBreakdownMarkdown } from '../core/estimate/breakdownMarkdown';
import { DisposableStore } from './disposableStore';
import { BREAKDOWN_SCHEME } from './ids';
import type { PromptDocuments } from './promptDocuments';

/** Read-only Markdown documents with a prompt file's cost breakdown, kept current while the prompt changes. */
export class BreakdownDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly documents: PromptDocuments) {
    this.store.add(vscode.workspace.registerTextDocumentContentProvider(BREAKDOWN_SCHEME, this));
    this.store.add(documents.onDidChange((uri) => this.changed.fire(breakdownUri(uri))));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const document = await vscode.workspace.openTextDocument(source);
    const file = await this.documents.current(document);
    if (!file) return `${vscode.workspace.asRelativePath(source)} is not a prompt file.`;
    return fileBreakdownMarkdown(file, vscode.workspace.asRelativePath(source, false));
  }

  /**
   * Opens the breakdown rendered (VS Code's Markdown preview beside the prompt, kept current as the prompt changes);
   * where the preview is unavailable, the Markdown source.
   */
  async show(source: vscode.Uri): Promise<void> {
    const uri = breakdownUri(source);
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(document, 'markdown');
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
        preserveFocus: true,
      });
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}

function breakdownUri(source: vscode.Uri): vscode.Uri {
  const name = source.path.split('/').pop() ?? 'prompt';
  // The path ends in .md so the preview treats it as Markdown; the tab shows "Preview Cost breakdown — <name>".
  return vscode.Uri.from({
    scheme: BREAKDOWN_SCHEME,
    path: `/Cost breakdown — ${name.replace(/\.md$/i, '')}.md`,
    query: source.toString(),
  });
}
