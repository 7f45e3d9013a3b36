import * as vscode from 'vscode';
import type { FileEstimate } from '../core/estimate/estimateFile';
import { formatEstimate, formatTokens } from '../core/estimate/formatting';
import type { PromptEstimate } from '../core/estimate/promptEstimate';
import { DEFAULT_COMPARISON_ROWS } from '../core/compare/compareModels';
import { hasDataset } from '../core/runs/dataset';
import type { DatasetEstimate } from '../core/runs/datasetEstimate';
import type { ComparisonResults } from './comparisonResults';
import { DisposableStore } from './disposableStore';
import { COMMANDS } from './ids';
import type { DatasetEstimates } from './datasetEstimates';
import type { PromptDocuments } from './promptDocuments';
import type { SettingsService } from './settingsService';
import { toRange } from './spans';

/** Per-line lenses in batch files stop here; the file total still shows. */
const MAXIMUM_LINE_LENSES = 2000;

/** Input tokens and cost, output bound and the cheaper recommended model above each prompt (and each JSONL line). */
export class PromptCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: PromptDocuments,
    private readonly settings: SettingsService,
    private readonly datasets: DatasetEstimates,
    private readonly comparisons: ComparisonResults,
  ) {
    this.store.add(documents.onDidChange(() => this.changed.fire()));
    this.store.add(comparisons.onDidChange(() => this.changed.fire()));
    this.store.add(settings.onDidChange(() => this.changed.fire()));
    this.store.add(datasets.onDidChange(() => this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.settings.current.codeLensEnabled || !this.documents.formatOf(document)) return [];
    const file = this.documents.get(document);
    if (!file) return [];
    const lenses: vscode.CodeLens[] = [];
    if (file.parsed.format === 'batch-jsonl') lenses.push(...fileTotalLenses(document, file));
    const datasets = this.datasets.get(document, file);
    const tested = (model: string) => this.comparisons.labelFor(document, model);
    for (const estimate of file.estimates.slice(0, MAXIMUM_LINE_LENSES)) {
      lenses.push(...promptLenses(document, estimate, tested));
      const dataset = datasets.get(estimate.prompt.id);
      if (dataset) lenses.push(datasetLens(document, estimate, dataset));
      if (isComparable(estimate))
        lenses.push(compareLens(document, estimate, dataset, this.comparisons.latestFor(document)?.recommended));
    }
    return lenses;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/** A chat prompt file (not a Batch line, not a Copilot file) with rows to compare on: `data:` or `testData`. */
function isComparable(estimate: PromptEstimate): boolean {
  return (
    estimate.prompt.kind === 'chat' &&
    estimate.prompt.format !== 'batch-jsonl' &&
    !estimate.prompt.copilot &&
    hasDataset(estimate.prompt)
  );
}

function compareLens(
  document: vscode.TextDocument,
  estimate: PromptEstimate,
  dataset: DatasetEstimate | undefined,
  recommended: string | null | undefined,
): vscode.CodeLens {
  const rows = dataset ? Math.min(DEFAULT_COMPARISON_ROWS, dataset.rows) : DEFAULT_COMPARISON_ROWS;
  const last = recommended === undefined ? '' : ` · last comparison of this text: ${recommended ?? 'no model passed'}`;
  return new vscode.CodeLens(toRange(estimate.prompt.span), {
    title: `$(beaker) Compare Models on ${rows} rows${last}`,
    command: COMMANDS.compareModels,
    arguments: [document.uri],
    tooltip: `The current model and up to 3 cheaper candidates answer ${rows} sampled rows of your dataset; the trial's estimated cost is shown and confirmed before anything is sent.`,
  });
}

function promptLenses(
  document: vscode.TextDocument,
  estimate: PromptEstimate,
  tested: (model: string) => string,
): vscode.CodeLens[] {
  const range = toRange(estimate.prompt.span);
  const approximate = estimate.approximate ? '≈' : '';
  const parts = [`${approximate}${formatTokens(estimate.inputTokens)} tokens`];
  if (estimate.prompt.copilot) parts.push('Copilot prompt file: chat context, no API price');
  else if (!estimate.cost) parts.push(`${estimate.model}: price unknown`);
  else {
    parts.push(`input ${formatEstimate(estimate.cost.input)}`);
    if (estimate.outputBound === 'max_tokens')
      parts.push(`output ≤${formatTokens(estimate.outputTokens)} ${formatEstimate(estimate.cost.outputMax)}`);
    else if (estimate.outputBound === 'model-maximum')
      parts.push(`output unbounded (no max_tokens) ≤${formatEstimate(estimate.cost.outputMax)}`);
    parts.push(`batch ${formatEstimate(estimate.cost.batchTotal)}`);
  }
  const lenses: vscode.CodeLens[] = [];
  if (estimate.prompt.kind === 'chat' && estimate.prompt.format !== 'batch-jsonl' && !estimate.prompt.copilot) {
    lenses.push(
      new vscode.CodeLens(range, {
        title: '$(play) Run',
        command: COMMANDS.runPrompt,
        arguments: [document.uri],
        tooltip:
          'Send this prompt (needs a trusted workspace and an API key); the answer streams into a result editor.',
      }),
    );
  }
  lenses.push(
    new vscode.CodeLens(range, {
      title: `$(symbol-numeric) ${parts.join(' · ')}`,
      command: COMMANDS.showCostBreakdown,
      arguments: [document.uri],
      tooltip: 'Estimate computed locally. Click for the breakdown per message and variable.',
    }),
  );
  if (estimate.mapReduce) {
    const { plan, comparison, documentTokens } = estimate.mapReduce;
    const single = comparison.singleCall
      ? ` · one call on ${comparison.singleCall.model} ${formatEstimate(comparison.singleCall.cost.total)}`
      : '';
    lenses.push(
      new vscode.CodeLens(range, {
        title: `$(split-horizontal) map-reduce: ${formatTokens(documentTokens)}-token document → ${plan.map.calls} chunks, ${plan.totalCalls} calls ${formatEstimate(plan.cost?.total)}${single}`,
        command: COMMANDS.showCostBreakdown,
        arguments: [document.uri],
        tooltip: comparison.summary,
      }),
    );
  }
  const recommendation = estimate.recommendation;
  if (recommendation) {
    lenses.push(
      new vscode.CodeLens(range, {
        title: `$(lightbulb) ${recommendation.model} fits (${estimate.task}): ${formatEstimate(recommendation.cost.total)}, saves ${Math.round(recommendation.savingFraction * 100)}% · ${tested(recommendation.model)}`,
        command: COMMANDS.applyModel,
        arguments: [document.uri, recommendation.model, recommendation.changes],
        tooltip: `Switch this prompt to ${recommendation.summary}: ${recommendation.reason}.`,
      }),
    );
  }
  return lenses;
}

function datasetLens(
  document: vscode.TextDocument,
  estimate: PromptEstimate,
  dataset: DatasetEstimate,
): vscode.CodeLens {
  const cost =
    dataset.total === null
      ? 'price unknown'
      : `${formatEstimate(dataset.total)} · Batch API ${formatEstimate(dataset.batchTotal ?? undefined)}`;
  // Above the `data:` (or `testData:`) line when there is one (the prompt's first line is already full of lenses).
  const dataLine = /^(?:data|testData)[ \t]*:/m.exec(document.getText());
  const range = dataLine
    ? new vscode.Range(document.positionAt(dataLine.index), document.positionAt(dataLine.index))
    : toRange(estimate.prompt.span);
  return new vscode.CodeLens(range, {
    title: `$(table) × ${formatTokens(dataset.rows)} rows of ${dataset.dataFile}: ${formatTokens(dataset.inputTokens)} tokens · ${cost}`,
    command: COMMANDS.runFolder,
    arguments: [document.uri],
    tooltip:
      dataset.problems.length > 0
        ? dataset.problems.join('\n')
        : 'Estimate of running this prompt once per dataset row, each row with its own values (identical rows are sent once; click to see the exact plan of running it, before anything is spent).',
  });
}

function fileTotalLenses(document: vscode.TextDocument, file: FileEstimate): vscode.CodeLens[] {
  const { totals } = file;
  const unknown = totals.unpricedPrompts > 0 ? ` · ${totals.unpricedPrompts} price unknown` : '';
  return [
    new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
      title: `$(list-ordered) File total: ${totals.prompts} requests · ${formatTokens(totals.inputTokens)} tokens · ${formatEstimate(totals.total)} · Batch API ${formatEstimate(totals.batchTotal)}${unknown}`,
      command: COMMANDS.showCostBreakdown,
      arguments: [document.uri],
    }),
  ];
}
