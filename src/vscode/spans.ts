import * as vscode from 'vscode';
import type { TextEditPlan } from '../core/prompts/promptEdits';
import type { TextSpan } from '../core/prompts/promptTypes';

export function toRange(span: TextSpan): vscode.Range {
  return new vscode.Range(span.start.line, span.start.character, span.end.line, span.end.character);
}

/** Turns core edit plans (file offsets) into one workspace edit. */
export function toWorkspaceEdit(document: vscode.TextDocument, edits: readonly TextEditPlan[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) {
    workspaceEdit.replace(
      document.uri,
      new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)),
      edit.newText,
    );
  }
  return workspaceEdit;
}
