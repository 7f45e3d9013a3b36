import * as vscode from 'vscode';
import { DisposableStore } from './disposableStore';

export const RESULT_SCHEME = 'promptmeter-result';
/** Streaming updates are batched to this interval, so a fast stream does not re-render per token. */
const UPDATE_INTERVAL_MS = 80;
/**
 * One more refresh this long after the last change: VS Code's Markdown preview can miss a virtual document's last
 * change when it lands while the preview is still rendering a streamed one (seen: the header stayed "sending…").
 */
const SETTLE_MS = 600;

/** A result being written: a header line and the streamed answer. */
export interface ResultHandle {
  readonly uri: vscode.Uri;
  setHeader(header: string): void;
  append(text: string): void;
  /** Replaces the answer (a retried stream starts over). */
  replace(text: string): void;
}

/** Read-only Markdown documents that show a prompt's answer as it streams in, one per prompt. */
export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly contents = new Map<string, { header: string; body: string }>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly settling = new Map<string, ReturnType<typeof setTimeout>>();

  constructor() {
    this.store.add(vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this));
    this.store.add({
      dispose: () => {
        this.pending.forEach((timer) => clearTimeout(timer));
        this.settling.forEach((timer) => clearTimeout(timer));
      },
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const content = this.contents.get(uri.toString());
    return content
      ? `${content.header}\n\n---\n\n${content.body}`
      : 'This result is no longer available: run the prompt again.';
  }

  /**
   * Opens the result of `title` beside the prompt, rendered (VS Code's Markdown preview; the Markdown source where
   * the preview is unavailable). One tab per prompt: running the same prompt again reuses it and starts it over.
   */
  async open(title: string): Promise<ResultHandle> {
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/Result — ${title.replace(/\.md$/i, '')}.md` });
    const key = uri.toString();
    this.contents.set(key, { header: `# ${title}\n\n*sending…*`, body: '' });
    this.changed.fire(uri);
    try {
      // VS Code's Markdown preview editor, opened beside without taking the focus (showPreviewToSide focuses it,
      // and handing the focus back raced with whatever the user did next).
      await vscode.commands.executeCommand('vscode.openWith', uri, 'vscode.markdown.preview.editor', {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
        preview: false,
      });
    } catch {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(document, 'markdown');
      await vscode.window.showTextDocument(document, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: false,
        preserveFocus: true,
      });
    }
    const update = (change: (content: { header: string; body: string }) => void) => {
      const content = this.contents.get(key);
      if (!content) return;
      change(content);
      clearTimeout(this.settling.get(key));
      this.settling.set(
        key,
        setTimeout(() => {
          this.settling.delete(key);
          this.changed.fire(uri);
        }, SETTLE_MS),
      );
      if (this.pending.has(key)) return;
      this.pending.set(
        key,
        setTimeout(() => {
          this.pending.delete(key);
          this.changed.fire(uri);
        }, UPDATE_INTERVAL_MS),
      );
    };
    return {
      uri,
      setHeader: (header) => update((content) => (content.header = header)),
      append: (text) => update((content) => (content.body += text)),
      replace: (text) => update((content) => (content.body = text)),
    };
  }

  dispose(): void {
    this.store.dispose();
  }
}
