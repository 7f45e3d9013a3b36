import * as vscode from 'vscode';
import { isChatPromptLocation, markdownAssociationPattern, usesPromptMeterFrontMatter } from '../core/prompts/chatPromptFiles';
import { DIAGNOSTIC_SOURCE } from './diagnosticsPublisher';
import { DisposableStore } from './disposableStore';

/** VS Code's language id for `*.prompt.md` (Copilot chat prompt files). */
const CHAT_PROMPT_LANGUAGE = 'prompt';
/** Workspace state: the user chose "Don't Ask Again". */
const NEVER_ASK_KEY = 'promptmeter.chatPromptConflict.neverAsk';
const OPEN_AS_MARKDOWN = 'Open as Markdown';
const NEVER = "Don't Ask Again";
const RELOAD = 'Reload Window';
/** Lines read to find Prompt Meter's front matter keys. */
const FRONT_MATTER_LINES = 200;

/**
 * VS Code validates `*.prompt.md` as a Copilot chat prompt file and reports Prompt Meter's front matter keys as
 * errors. When that happens to a Prompt Meter file (and only then: the errors must be there), this offers once per
 * session to open the `.prompt.md` files of that folder as Markdown in this workspace (`files.associations`), which
 * Prompt Meter reads the same. Files under `.github/` are Copilot's and never touched.
 */
export class ChatPromptConflict implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private offered = false;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.languages.onDidChangeDiagnostics((event) => this.check(event.uris)));
  }

  /** Command: open the active `.prompt.md` file's folder as Markdown, without asking. */
  async openActiveFolderAsMarkdown(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || !target.path.endsWith('.prompt.md')) {
      void vscode.window.showInformationMessage('Prompt Meter: open a .prompt.md file first.');
      return;
    }
    await this.associate(target);
  }

  dispose(): void {
    this.store.dispose();
  }

  private check(uris: readonly vscode.Uri[]): void {
    if (this.offered || this.state.get<boolean>(NEVER_ASK_KEY)) return;
    for (const uri of uris) {
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      if (!document || document.languageId !== CHAT_PROMPT_LANGUAGE) continue;
      // Cheapest first: this runs on every diagnostics change, ours included (each edit of a prompt).
      const foreign = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source !== DIAGNOSTIC_SOURCE);
      if (foreign.length === 0 || isChatPromptLocation(vscode.workspace.asRelativePath(uri, false))) continue;
      if (!usesPromptMeterFrontMatter(document.getText(new vscode.Range(0, 0, FRONT_MATTER_LINES, 0)))) continue;
      this.offered = true;
      void this.offer(uri, foreign.length);
      return;
    }
  }

  private async offer(uri: vscode.Uri, problems: number): Promise<void> {
    const name = uri.path.split('/').pop() ?? 'this file';
    const choice = await vscode.window.showWarningMessage(
      `Prompt Meter: VS Code reads ${name} as a Copilot chat prompt file and reports ${problems} problem(s) in its front matter, ` +
        'because keys such as max_tokens and variables are Prompt Meter\'s, not chat prompt-file keys. ' +
        'Open the .prompt.md files of this folder as Markdown in this workspace? Prompt Meter works the same; files under .github/ stay chat prompt files.',
      OPEN_AS_MARKDOWN,
      NEVER,
    );
    if (choice === OPEN_AS_MARKDOWN) await this.associate(uri);
    else if (choice === NEVER) await this.state.update(NEVER_ASK_KEY, true);
  }

  private async associate(uri: vscode.Uri): Promise<void> {
    const relative = vscode.workspace.asRelativePath(uri, false);
    if (!vscode.workspace.getWorkspaceFolder(uri)) {
      void vscode.window.showWarningMessage('Prompt Meter: this file is outside the workspace, so there is no workspace setting to change. Add "files.associations" to your settings yourself.');
      return;
    }
    if (isChatPromptLocation(relative)) {
      void vscode.window.showInformationMessage('Prompt Meter: files under .github/ are where VS Code looks for chat prompt files, so they are left as they are.');
      return;
    }
    const pattern = markdownAssociationPattern(relative);
    const files = vscode.workspace.getConfiguration('files', uri);
    const current = files.inspect<Record<string, string>>('associations')?.workspaceValue ?? {};
    try {
      await files.update('associations', { ...current, [pattern]: 'markdown' }, vscode.ConfigurationTarget.Workspace);
      this.log.info(`files.associations: "${pattern}" → markdown (workspace settings).`);
      // VS Code keeps the problems its chat prompt-file validation already reported until the window reloads.
      const reload = await vscode.window.showInformationMessage(
        `Prompt Meter: "${pattern}" now opens as Markdown in this workspace (files.associations in the workspace settings). ` +
          'The problems VS Code already reported for these files stay listed until the window reloads.',
        RELOAD,
      );
      if (reload === RELOAD) await vscode.commands.executeCommand('workbench.action.reloadWindow');
    } catch (error) {
      void vscode.window.showErrorMessage(`Prompt Meter: could not write the workspace setting files.associations: ${(error as Error).message}`);
    }
  }
}
