import * as vscode from 'vscode';
import { promptFormatFor } from '../core/prompts/promptFileKind';
import type { RunSourceFile } from '../core/runs/prepareRun';
import type { PromptMeterSettings } from '../core/settings/settings';
import { PROMPT_METER_FOLDER } from '../core/workspace/workspaceLayout';

// What a folder run is made of: the folder the user picks and the prompt files in it.

const EXCLUDED = `**/{node_modules,.git,dist,out,${PROMPT_METER_FOLDER}}/**`;

/** Folders that hold prompt files, nearest first, plus "Browse…" for any other folder. */
export async function pickRunFolder(root: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uris = await vscode.workspace.findFiles(
    '**/*.{prompt.md,prompty,prompt,prompt.yml,prompt.yaml,jsonl}',
    EXCLUDED,
    2_000,
  );
  const counts = new Map<string, { uri: vscode.Uri; files: number }>();
  for (const uri of uris) {
    const folder = vscode.Uri.joinPath(uri, '..');
    const entry = counts.get(folder.toString()) ?? { uri: folder, files: 0 };
    entry.files++;
    counts.set(folder.toString(), entry);
  }
  const items: Array<vscode.QuickPickItem & { uri?: vscode.Uri }> = [...counts.values()]
    .sort((left, right) => left.uri.path.localeCompare(right.uri.path))
    .map((entry) => ({
      label: vscode.workspace.asRelativePath(entry.uri, false) || '.',
      description: `${entry.files} prompt files`,
      uri: entry.uri,
    }));
  items.push({ label: 'Browse…', description: 'any folder' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Prompt Meter: Run Prompts Folder',
    placeHolder: 'Folder to run (every prompt × its dataset rows, every batch line)',
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const browsed = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    defaultUri: root,
    openLabel: 'Run Prompts in Folder',
  });
  return browsed?.[0];
}

/** The prompt files of a folder, or the one file when `folder` is a file (a data: prompt's CodeLens runs just it). */
export async function runSourceFiles(folder: vscode.Uri, settings: PromptMeterSettings): Promise<RunSourceFile[]> {
  const isFile = ((await vscode.workspace.fs.stat(folder)).type & vscode.FileType.File) !== 0;
  const uris = isFile
    ? [folder]
    : await vscode.workspace.findFiles(
        new vscode.RelativePattern(folder, '**/*.{prompt.md,prompty,prompt,prompt.yml,prompt.yaml,jsonl,md,txt}'),
        EXCLUDED,
        10_000,
      );
  const files: RunSourceFile[] = [];
  for (const uri of uris.sort((left, right) => left.fsPath.localeCompare(right.fsPath))) {
    const displayPath = vscode.workspace.asRelativePath(uri, false);
    const firstLines = uri.path.endsWith('.jsonl')
      ? Buffer.from(await vscode.workspace.fs.readFile(uri))
          .subarray(0, 4096)
          .toString('utf8')
      : undefined;
    const format = promptFormatFor(displayPath, settings.promptFolders, firstLines);
    if (format) files.push({ absolutePath: uri.fsPath, displayPath, format });
  }
  return files;
}
