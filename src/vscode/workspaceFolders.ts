import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { WorkspaceLayout } from '../core/workspace/workspaceLayout';

/**
 * The workspace folder that holds `uri` (multi-root: each folder keeps its own `.promptmeter`), else the first one;
 * undefined with no folder open.
 */
export function workspaceFolderOf(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
}

/** The `.promptmeter` layout of {@link workspaceFolderOf}`(uri)`. */
export function layoutOf(uri?: vscode.Uri): WorkspaceLayout | undefined {
  const folder = workspaceFolderOf(uri);
  return folder && new WorkspaceLayout(folder.uri.fsPath);
}

/** The layouts of every open workspace folder, in the workspace's order. */
export function allLayouts(): WorkspaceLayout[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => new WorkspaceLayout(folder.uri.fsPath));
}

/**
 * The folder a workspace-relative prompt path (`asRelativePath(uri, false)`, as estimates name files) is relative to,
 * for reading its `{{file:}}` documents, partials and images. A multi-root path does not name its folder: the first
 * folder that has a file at that path (the same relative path in two folders resolves to the first). An absolute
 * path (a file outside every folder) needs no root; `''` (the workspace's `.env`) is the first folder's; undefined
 * with no folder open.
 */
export function promptRootOf(promptFile: string): string | undefined {
  if (path.isAbsolute(promptFile)) return '';
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1 || promptFile === '') return folders[0]?.uri.fsPath;
  return (folders.find((folder) => existsSync(path.join(folder.uri.fsPath, promptFile))) ?? folders[0])!.uri.fsPath;
}
