import * as vscode from 'vscode';
import { escapeMarkdown, promptBreakdownMarkdown } from '../core/estimate/breakdownMarkdown';
import { formatTokens } from '../core/estimate/formatting';
import type { PromptEstimate } from '../core/estimate/promptEstimate';
import type { PromptDocuments } from './promptDocuments';

const VARIABLE_AT = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/;
const ROLE_LINE = /^\s*(system|developer|user|assistant)\s*:\s*$|\{\{\s*role\s/i;

/**
 * Breakdown per message and per variable, shown where it helps without getting in the way: on the front
 * matter, on role lines, on `{{variables}}`, and on each line of a batch file.
 */
export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(private readonly documents: PromptDocuments) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = this.documents.get(document);
    if (!file || file.estimates.length === 0) return undefined;
    if (file.parsed.format === 'batch-jsonl') {
      const estimate = file.estimates.find((candidate) => candidate.prompt.span.start.line === position.line);
      return estimate ? new vscode.Hover(markdown(promptBreakdownMarkdown(estimate))) : undefined;
    }
    const estimate = file.estimates[0]!;
    const variableRange = document.getWordRangeAtPosition(position, /\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/);
    if (variableRange) {
      const name = VARIABLE_AT.exec(document.getText(variableRange))?.[1];
      const variable = estimate.breakdown.variables.find((candidate) => candidate.name === name);
      if (variable) return new vscode.Hover(markdown(variableMarkdown(estimate, variable.name)), variableRange);
    }
    const inFrontMatter =
      file.parsed.frontMatter !== undefined && document.offsetAt(position) < file.parsed.frontMatter.bodyStart;
    if (inFrontMatter || ROLE_LINE.test(document.lineAt(position.line).text)) {
      return new vscode.Hover(markdown(promptBreakdownMarkdown(estimate)));
    }
    return undefined;
  }
}

function variableMarkdown(estimate: PromptEstimate, name: string): string {
  const variable = estimate.breakdown.variables.find((candidate) => candidate.name === name)!;
  const total = variable.tokensEach * variable.occurrences;
  const share = estimate.inputTokens > 0 ? Math.round((total / estimate.inputTokens) * 100) : 0;
  const sample =
    variable.value === undefined
      ? '*no sample value: counted as empty*'
      : `sample: ${escapeMarkdown(variable.value.slice(0, 200))}`;
  return `\`{{${escapeMarkdown(name)}}}\` · ~${formatTokens(variable.tokensEach)} tokens × ${variable.occurrences} = ~${formatTokens(total)} (${share}% of the input)\n\n${sample}`;
}

function markdown(text: string): vscode.MarkdownString {
  const result = new vscode.MarkdownString(text, true);
  result.isTrusted = false;
  return result;
}
