import * as vscode from 'vscode';
import type { FileEstimate } from '../core/estimate/estimateFile';
import { escapeMarkdown, promptBreakdownMarkdown } from '../core/estimate/breakdownMarkdown';
import { formatEstimate, formatTokens } from '../core/estimate/formatting';
import { BUNDLED_PRICE_SOURCE } from '../core/pricing/bundledPrices';
import { REFUSAL_CODES } from '../core/prompts/parsePromptFile';
import type { ComparisonResults } from './comparisonResults';
import { DisposableStore } from './disposableStore';
import { COMMANDS, IS_PROMPT_FILE_CONTEXT } from './ids';
import type { PromptDocuments } from './promptDocuments';

/** Tokens · estimated cost · model of the active prompt, updated as the user types; click to choose a model. */
export class PromptStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item = this.store.add(
    vscode.window.createStatusBarItem('promptmeter.estimate', vscode.StatusBarAlignment.Right, 100),
  );

  constructor(
    private readonly documents: PromptDocuments,
    private readonly comparisons: ComparisonResults,
  ) {
    this.item.name = 'Prompt Meter';
    this.item.command = COMMANDS.chooseModel;
    this.store.add(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
    this.store.add(
      documents.onDidChange((uri) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) this.render();
      }),
    );
    this.store.add(comparisons.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const isPrompt = document !== undefined && this.documents.formatOf(document) !== undefined;
    void vscode.commands.executeCommand('setContext', IS_PROMPT_FILE_CONTEXT, isPrompt);
    if (!document || !isPrompt) {
      this.item.hide();
      return;
    }
    const estimate = this.documents.get(document);
    if (!estimate) {
      this.item.text = '$(sync~spin) Prompt Meter: counting…';
      this.item.tooltip = 'Loading the tokenizer (first use only).';
    } else {
      this.item.text = statusText(estimate);
      this.item.tooltip = tooltip(estimate, (model) => this.comparisons.labelFor(document, model));
    }
    this.item.show();
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** `1,234 tokens · ~$0.0021 · gpt-4o-mini` (or the file totals for batch files). */
export function statusText(file: FileEstimate): string {
  if (file.estimates.length === 0) {
    const refusal = file.diagnostics.find((diagnostic) => REFUSAL_CODES.has(diagnostic.code));
    return refusal ? '$(circle-slash) Prompt Meter: not estimated' : '$(warning) Prompt Meter: no prompt';
  }
  const first = file.estimates[0]!;
  const approximate = file.estimates.some((estimate) => estimate.approximate) ? '≈' : '';
  const models = new Set(file.estimates.map((estimate) => estimate.model));
  const model = models.size === 1 ? first.model : `${models.size} models`;
  const cost = first.prompt.copilot
    ? 'Copilot prompt file (no API price)'
    : file.totals.unpricedPrompts === file.totals.prompts
      ? 'price unknown'
      : formatEstimate(file.totals.total);
  const requests = file.estimates.length > 1 ? `${file.estimates.length} requests · ` : '';
  return `$(symbol-numeric) ${requests}${approximate}${formatTokens(file.totals.inputTokens)} tokens · ${cost} · ${model}`;
}

function tooltip(file: FileEstimate, tested: (model: string) => string): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.isTrusted = false;
  if (file.estimates.length === 1) {
    const estimate = file.estimates[0]!;
    markdown.appendMarkdown(promptBreakdownMarkdown(estimate));
    if (estimate.recommendation) {
      markdown.appendMarkdown(
        `\n\nRecommendation ${escapeMarkdown(estimate.recommendation.model)}: ${escapeMarkdown(tested(estimate.recommendation.model))} (on your own rows: Compare Models)`,
      );
    }
  } else if (file.estimates.length > 1) {
    markdown.appendMarkdown(
      `${file.totals.prompts} requests · ${formatTokens(file.totals.inputTokens)} input tokens · ${formatEstimate(file.totals.total)} (Batch API ${formatEstimate(file.totals.batchTotal)})`,
    );
  } else {
    markdown.appendMarkdown(escapeMarkdown(file.diagnostics[0]?.message ?? 'No prompt found in this file.'));
  }
  markdown.appendMarkdown(
    `\n\n---\n\nEstimates (USD) · ${escapeMarkdown(BUNDLED_PRICE_SOURCE.label)} · click to choose a model`,
  );
  return markdown;
}
