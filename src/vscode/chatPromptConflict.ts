import * as vscode from 'vscode';
import {
  isChatPromptLocation,
  markdownAssociationPattern,
  usesPromptMeterFrontMatter,
} from '../core/prompts/chatPromptFiles';
import { DIAGNOSTIC_SOURCE } from './diagnosticsPublisher';
import { DisposableStore } from './disposableStore';

/** VS Code's language id for `*.prompt.md` (Copilot chat prompt files). */
const CHAT_PROMPT_LANGUAGE = 'prompt';
/** Workspace state: the user chose "Don't Ask Again". */
const NEVER_ASK_KEY = 'promptmeter.chatPromptConflict.neverAsk';
/** Workspace state: the user chose "Open as Markdown" once; later folders are associated without asking. */
const CHOSEN_KEY = 'promptmeter.chatPromptConflict.openAsMarkdown';
/** Where `.prompt.md` files are looked for when the choice is made (the whole workspace, once). */
const SCAN_EXCLUDE = '**/{node_modules,.git,dist,out,.promptmeter}/**';
const OPEN_AS_MARKDOWN = 'Open as Markdown';
const NEVER = "Don't Ask Again";
const RELOAD = 'Reload Window';
/** Lines read to find Prompt Meter's front matter keys. */
const FRONT_MATTER_LINES = 200;

/**
 * VS Code validates `*.prompt.md` as a Copilot chat prompt file and reports Prompt Meter's front matter keys as
 * errors. When that happens to a Prompt Meter file (and only then: the errors must be there), this asks once for the
 * workspace whether to open Prompt Meter's `.prompt.md` files as Markdown (`files.associations`, which Prompt Meter
 * reads the same): on yes, the folders of every such file in the workspace are associated at once and the window is
 * offered one reload; folders that show up later are associated without asking again. Files under `.github/` are
 * Copilot's and never touched.
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
    await this.associate([target], true);
  }

  dispose(): void {
    this.store.dispose();
  }

  private check(uris: readonly vscode.Uri[]): void {
    if (this.state.get<boolean>(NEVER_ASK_KEY)) return;
    const chosen = this.state.get<boolean>(CHOSEN_KEY) === true;
    if (this.offered && !chosen) return;
    for (const uri of uris) {
      const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
      if (!document || document.languageId !== CHAT_PROMPT_LANGUAGE) continue;
      // Cheapest first: this runs on every diagnostics change, ours included (each edit of a prompt).
      const foreign = vscode.languages
        .getDiagnostics(uri)
        .filter((diagnostic) => diagnostic.source !== DIAGNOSTIC_SOURCE);
      if (foreign.length === 0 || isChatPromptLocation(vscode.workspace.asRelativePath(uri, false))) continue;
      if (!usesPromptMeterFrontMatter(document.getText(new vscode.Range(0, 0, FRONT_MATTER_LINES, 0)))) continue;
      this.offered = true;
      // Already chosen for this workspace: a new folder is associated quietly (no question, no second reload).
      void (chosen ? this.associate([uri], false) : this.offer(uri, foreign.length));
      return;
    }
  }

  private async offer(uri: vscode.Uri, problems: number): Promise<void> {
    const name = uri.path.split('/').pop() ?? 'this file';
    const choice = await vscode.window.showWarningMessage(
      `Prompt Meter: VS Code reads ${name} as a Copilot chat prompt file and reports ${problems} problem(s) in its front matter, ` +
        "because keys such as max_tokens and variables are Prompt Meter's, not chat prompt-file keys. " +
        "Open Prompt Meter's .prompt.md files as Markdown in this workspace (all of them, one reload)? Prompt Meter works the same; files under .github/ stay chat prompt files.",
      OPEN_AS_MARKDOWN,
      NEVER,
    );
    if (choice === OPEN_AS_MARKDOWN) {
      await this.state.update(CHOSEN_KEY, true);
      await this.associate([uri, ...(await this.promptMeterFiles())], true);
    } else if (choice === NEVER) await this.state.update(NEVER_ASK_KEY, true);
  }

  /** Every `.prompt.md` in the workspace outside `.github/` whose front matter has a Prompt Meter key. */
  private async promptMeterFiles(): Promise<vscode.Uri[]> {
    const found: vscode.Uri[] = [];
    for (const uri of await vscode.workspace.findFiles('**/*.prompt.md', SCAN_EXCLUDE, 2_000)) {
      if (isChatPromptLocation(vscode.workspace.asRelativePath(uri, false))) continue;
      try {
        const head = new TextDecoder().decode((await vscode.workspace.fs.readFile(uri)).subarray(0, 16_384));
        if (usesPromptMeterFrontMatter(head)) found.push(uri);
      } catch (error) {
        this.log.warn(`Could not read ${uri.fsPath}: ${(error as Error).message}`);
      }
    }
    return found;
  }

  /** Associates the folders of `uris` (one settings write); `offerReload` asks once to reload the window. */
  private async associate(uris: readonly vscode.Uri[], offerReload: boolean): Promise<void> {
    const inWorkspace = uris.filter((uri) => vscode.workspace.getWorkspaceFolder(uri));
    if (inWorkspace.length === 0) {
      void vscode.window.showWarningMessage(
        'Prompt Meter: this file is outside the workspace, so there is no workspace setting to change. Add "files.associations" to your settings yourself.',
      );
      return;
    }
    const patterns = [
      ...new Set(
        inWorkspace
          .map((uri) => vscode.workspace.asRelativePath(uri, false))
          .filter((relative) => !isChatPromptLocation(relative))
          .map(markdownAssociationPattern),
      ),
    ];
    if (patterns.length === 0) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: files under .github/ are where VS Code looks for chat prompt files, so they are left as they are.',
      );
      return;
    }
    const files = vscode.workspace.getConfiguration('files', inWorkspace[0]);
    const current = files.inspect<Record<string, string>>('associations')?.workspaceValue ?? {};
    const added = patterns.filter((pattern) => current[pattern] !== 'markdown');
    if (added.length === 0) return;
    try {
      await files.update(
        'associations',
        { ...current, ...Object.fromEntries(added.map((pattern) => [pattern, 'markdown'])) },
        vscode.ConfigurationTarget.Workspace,
      );
      this.log.info(
        `files.associations: ${added.map((pattern) => `"${pattern}"`).join(', ')} → markdown (workspace settings).`,
      );
      if (!offerReload) return;
      // VS Code keeps the problems its chat prompt-file validation already reported until the window reloads.
      const reload = await vscode.window.showInformationMessage(
        `Prompt Meter: ${added.length === 1 ? `"${added[0]}" now opens` : `${added.length} folders' .prompt.md files now open`} as Markdown in this workspace (files.associations in the workspace settings). ` +
          'The problems VS Code already reported for these files stay listed until the window reloads.',
        RELOAD,
      );
      if (reload === RELOAD) await vscode.commands.executeCommand('workbench.action.reloadWindow');
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Prompt Meter: could not write the workspace setting files.associations: ${(error as Error).message}`,
      );
    }
  }
}
