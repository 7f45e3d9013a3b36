import * as vscode from 'vscode';
import { promptChangeEdits } from '../core/prompts/promptChangeEdits';
import { setMaxTokensEdits, setModelEdits } from '../core/prompts/promptEdits';
import { resolveModel } from '../core/models/resolveModel';
import type { DiagnosticsPublisher } from './diagnosticsPublisher';
import type { PromptDocuments } from './promptDocuments';
import { COMMANDS } from './ids';
import { toWorkspaceEdit } from './spans';

/** Quick fixes for Prompt Meter's hints: add max_tokens, switch to the recommended model. */
export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(
    private readonly documents: PromptDocuments,
    private readonly diagnostics: DiagnosticsPublisher,
  ) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const file = this.documents.get(document);
    if (!file) return [];
    const text = document.getText();
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const fix = this.diagnostics.fixFor(diagnostic);
      if (!fix) continue;
      const estimate = lineEstimate(file.estimates, diagnostic) ?? file.estimates[0];
      if (!estimate) continue;
      const onlyThisLine = file.parsed.format === 'batch-jsonl' ? estimate.prompt.id : undefined;
      const reasoningModel = resolveModel(estimate.model).reasoning;
      const edits =
        fix.kind === 'set-max-tokens'
          ? setMaxTokensEdits(file.parsed, text, estimate.prompt, fix.value, reasoningModel)
          : fix.kind === 'change'
            ? promptChangeEdits(file.parsed, text, estimate.prompt, fix.changes, { reasoningModel })
            : setModelEdits(file.parsed, text, fix.model, onlyThisLine);
      if (edits.length === 0) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      // A model switch goes through the command so it is recorded (evidence for the model-change saving).
      const switchTo =
        fix.kind === 'set-model'
          ? fix.model
          : fix.kind === 'change'
            ? fix.changes.find((change) => change.kind === 'set-model')?.model
            : undefined;
      if (switchTo && !onlyThisLine)
        action.command = {
          command: COMMANDS.applyModel,
          title: fix.title,
          arguments: [document.uri, switchTo, fix.kind === 'change' ? fix.changes : undefined],
        };
      else action.edit = toWorkspaceEdit(document, edits);
      action.diagnostics = [diagnostic];
      action.isPreferred = fix.kind === 'set-max-tokens';
      actions.push(action);
    }
    return actions;
  }
}

function lineEstimate<T extends { prompt: { span: { start: { line: number } } } }>(
  estimates: readonly T[],
  diagnostic: vscode.Diagnostic,
): T | undefined {
  return estimates.find((estimate) => estimate.prompt.span.start.line === diagnostic.range.start.line);
}
