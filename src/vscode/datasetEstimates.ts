import { statSync } from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import type { FileEstimate } from '../core/estimate/estimateFile';
import type { PromptEstimator } from '../core/estimate/promptEstimator';
import { estimateDatasetRuns, type DatasetEstimate } from '../core/runs/datasetEstimate';
import type { SettingsService } from './settingsService';

/** Above this many bytes a dataset is not estimated row by row in the editor (the run summary still does it). */
const MAXIMUM_DATASET_BYTES = 2 * 1024 * 1024;

/**
 * What running a `data:` prompt over every row of its dataset costs, for the CodeLens: estimated row by row
 * (each with its own values) and cached until the document or a dataset file changes.
 */
export class DatasetEstimates {
  private readonly cache = new Map<string, { key: string; estimates: ReadonlyMap<string, DatasetEstimate> }>();

  constructor(
    private readonly estimator: PromptEstimator,
    private readonly settings: SettingsService,
  ) {}

  /** By prompt id; empty when no prompt names `data:` or the document is not a local file. */
  get(document: vscode.TextDocument, file: FileEstimate): ReadonlyMap<string, DatasetEstimate> {
    const prompts = file.parsed.prompts.filter((prompt) => prompt.dataFile !== undefined);
    if (prompts.length === 0 || document.uri.scheme !== 'file') return new Map();
    const folder = path.dirname(document.uri.fsPath);
    const stamps = prompts.map((prompt) => {
      try {
        const stat = statSync(path.resolve(folder, prompt.dataFile!));
        return stat.size > MAXIMUM_DATASET_BYTES ? 'too-large' : `${stat.size}:${stat.mtimeMs}`;
      } catch {
        return 'missing';
      }
    });
    if (stamps.includes('too-large')) return new Map();
    const key = `${document.version}|${stamps.join('|')}`;
    const cached = this.cache.get(document.uri.toString());
    if (cached?.key === key) return cached.estimates;
    const estimates = estimateDatasetRuns(file.parsed, document.uri.fsPath, this.estimator.options(undefined, false), this.settings.current.pricingOverrides);
    this.cache.set(document.uri.toString(), { key, estimates });
    return estimates;
  }
}
