import * as vscode from 'vscode';
import { estimatePrompt } from '../core/estimate/estimatePrompt';
import { totalsOf, type FileEstimate } from '../core/estimate/estimateFile';
import { formatEstimate, formatTokens } from '../core/estimate/formatting';
import type { Estimator } from '../core/estimate/estimator';
import { MODEL_CATALOG, TIER_NAMES } from '../core/models/modelCatalog';
import { resolveModel } from '../core/models/resolveModel';
import { editsForModel } from '../core/estimate/recommender';
import { promptChangeEdits } from '../core/prompts/promptChangeEdits';
import { setModelEdits } from '../core/prompts/promptEdits';
import type { PromptChange } from '../core/prompts/promptTypes';
import { hasDataset } from '../core/runs/dataset';
import type { ComparisonResults } from './comparisonResults';
import { COMMANDS, CONFIGURATION_SECTION } from './ids';
import type { PromptDocuments } from './promptDocuments';
import type { SettingsService } from './settingsService';
import { toWorkspaceEdit } from './spans';

interface ModelItem extends vscode.QuickPickItem {
  readonly model: string;
}

/** Choose Model (quick pick with this prompt's cost on each model), Recommend Model, and applying a model. */
export class ModelCommands {
  constructor(
    private readonly documents: PromptDocuments,
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
    private readonly comparisons: ComparisonResults,
    private readonly onModelChanged: (
      uri: vscode.Uri,
      from: string,
      to: string,
      via: 'recommendation' | 'choose-model',
    ) => void,
  ) {}

  async chooseModel(uri?: vscode.Uri): Promise<void> {
    const target = await this.promptDocument(uri);
    if (!target) return;
    const { document, file } = target;
    await this.estimator.load(['o200k_base', 'cl100k_base']);
    const kind = file.parsed.prompts[0]?.kind ?? 'chat';
    const current = new Set(file.estimates.map((estimate) => estimate.model));
    const names = new Set<string>([...current, ...Object.keys(this.settings.current.pricingOverrides)]);
    for (const model of MODEL_CATALOG) if (!model.legacy && model.kind === kind) names.add(model.id);
    const recommended = file.estimates[0]?.recommendation?.model;
    const rows = [...names].map((model) =>
      this.costOn(file, model, current.has(model), model === recommended, file.estimates[0]?.task),
    );
    rows.sort((left, right) => (left.cost ?? Number.POSITIVE_INFINITY) - (right.cost ?? Number.POSITIVE_INFINITY));
    const picked = await vscode.window.showQuickPick(
      rows.map((row) => row.item),
      {
        title: `Prompt Meter: Choose Model — ${file.estimates.length > 1 ? `${file.estimates.length} requests, ` : ''}estimated cost per run`,
        placeHolder: 'Type to filter; the cost is this prompt on each model (estimate, USD)',
        matchOnDescription: true,
        matchOnDetail: true,
      },
    );
    if (picked) await this.applyModel(document.uri, picked.model, 'choose-model');
  }

  async recommendModel(uri?: vscode.Uri): Promise<void> {
    const target = await this.promptDocument(uri);
    if (!target) return;
    const estimate = target.file.estimates.find((candidate) => candidate.recommendation) ?? target.file.estimates[0];
    if (!estimate) return;
    if (!estimate.cost) {
      void vscode.window
        .showWarningMessage(
          `Prompt Meter: price unknown for "${estimate.model}" — add it to promptmeter.pricing.overrides to compare models.`,
          'Open Settings',
        )
        .then((choice) => {
          if (choice)
            void vscode.commands.executeCommand(
              'workbench.action.openSettings',
              `${CONFIGURATION_SECTION}.pricing.overrides`,
            );
        });
      return;
    }
    const recommendation = estimate.recommendation;
    if (!recommendation) {
      void vscode.window.showInformationMessage(
        `Prompt Meter: ${estimate.model} is already the cheapest model that fits this ${estimate.task} task (${formatTokens(estimate.inputTokens)} input tokens).`,
      );
      return;
    }
    const edits = recommendation.changes.length > 1 ? ` Apply writes: ${recommendation.summary}.` : '';
    const tested = this.comparisons.labelFor(target.document, recommendation.model);
    const actions = hasDataset(estimate.prompt)
      ? ['Apply', 'Compare Models…', 'Choose Model…']
      : ['Apply', 'Choose Model…'];
    const choice = await vscode.window.showInformationMessage(
      `Prompt Meter: ${recommendation.model} fits this ${estimate.task} task for ${formatEstimate(recommendation.cost.total)} instead of ${formatEstimate(estimate.cost.total)} per call (estimate at the output bound, saves ${Math.round(recommendation.savingFraction * 100)}%; ${tested}).${edits}`,
      ...actions,
    );
    if (choice === 'Apply')
      await this.applyModel(target.document.uri, recommendation.model, 'recommendation', recommendation.changes);
    else if (choice === 'Compare Models…')
      await vscode.commands.executeCommand(COMMANDS.compareModels, target.document.uri);
    else if (choice === 'Choose Model…') await this.chooseModel(target.document.uri);
  }

  /**
   * Writes the model into the prompt file (front matter, Prompty configuration, or every batch line) with the
   * changes that make the request valid on it (`changes`, else computed: sampling parameters a reasoning model
   * rejects dropped, room for reasoning in the cap), so the applied prompt runs.
   */
  async applyModel(
    uri: vscode.Uri,
    model: string,
    via: 'recommendation' | 'choose-model' = 'recommendation',
    changes?: readonly PromptChange[],
  ): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(uri);
    const file = await this.documents.current(document);
    if (!file) return false;
    const estimate = file.estimates[0];
    const previous = estimate?.model;
    const overrides = this.settings.current.pricingOverrides;
    const wanted =
      changes ??
      (estimate && file.parsed.format !== 'batch-jsonl'
        ? editsForModel(
            { task: estimate.task, prompt: estimate.prompt, currentModel: estimate.model },
            model,
            overrides,
          )
        : undefined);
    const edits =
      wanted && estimate && file.parsed.format !== 'batch-jsonl'
        ? promptChangeEdits(file.parsed, document.getText(), estimate.prompt, wanted, {
            reasoningModel: resolveModel(model, overrides).reasoning,
          })
        : setModelEdits(file.parsed, document.getText(), model);
    if (edits.length === 0) {
      const choice = await vscode.window.showInformationMessage(
        `Prompt Meter: plain text prompts take their model from promptmeter.defaultModel. Set it to ${model} for this workspace?`,
        'Set Default Model',
      );
      if (choice)
        await vscode.workspace
          .getConfiguration(CONFIGURATION_SECTION)
          .update('defaultModel', model, vscode.ConfigurationTarget.Workspace);
      return choice !== undefined;
    }
    const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(document, edits));
    if (applied && previous && previous !== model) {
      const written = (wanted ?? [])
        .filter((change) => change.kind !== 'set-model')
        .map((change) =>
          change.kind === 'remove-parameter'
            ? `removed ${change.name}`
            : change.kind === 'set-max-tokens'
              ? `output cap ${change.value}`
              : `${change.name} ${String(change.value)}`,
        );
      this.log.info(
        `Model of ${vscode.workspace.asRelativePath(uri, false)} changed from ${previous} to ${model}${written.length > 0 ? ` (${written.join(', ')})` : ''}.`,
      );
      this.onModelChanged(uri, previous, model, via);
    }
    return applied;
  }

  private costOn(
    file: FileEstimate,
    model: string,
    isCurrent: boolean,
    isRecommended: boolean,
    task: string | undefined,
  ): { item: ModelItem; cost?: number } {
    const estimates = file.parsed.prompts.map((prompt) => estimatePrompt(prompt, this.estimator.options(model, false)));
    const totals = totalsOf(estimates);
    const resolved = resolveModel(model, this.settings.current.pricingOverrides);
    const known = totals.unpricedPrompts < totals.prompts;
    const facts = [
      known ? formatEstimate(totals.total) : 'price unknown',
      resolved.tier ? `${TIER_NAMES[resolved.tier]} tier` : undefined,
      resolved.contextWindow ? `${formatTokens(resolved.contextWindow)} context` : undefined,
    ].filter(Boolean);
    const tooLarge = estimates.find((estimate) => estimate.exceedsContext);
    const detail = tooLarge
      ? `$(error) does not fit: ${formatTokens(tooLarge.inputTokens)} input tokens > ${formatTokens(tooLarge.contextWindow ?? 0)} context`
      : isRecommended
        ? `$(lightbulb) recommended: cheapest model that fits this ${task ?? ''} task`
        : undefined;
    return {
      item: { label: `${isCurrent ? '$(check) ' : ''}${model}`, description: facts.join(' · '), detail, model },
      cost: known ? totals.total : undefined,
    };
  }

  private async promptDocument(
    uri?: vscode.Uri,
  ): Promise<{ document: vscode.TextDocument; file: FileEstimate } | undefined> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    const file = document ? await this.documents.current(document) : undefined;
    if (!document || !file) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: open a prompt file (.prompt.md, .prompty, .prompt, .prompt.yml, a Batch .jsonl, or a .md/.txt in a prompt folder) first.',
      );
      return undefined;
    }
    return { document, file };
  }
}
