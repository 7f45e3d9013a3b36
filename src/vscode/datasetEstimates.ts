import { statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { FileEstimate } from '../core/estimate/estimateFile';
import type { Estimator } from '../core/estimate/estimator';
import { hasDataset } from '../core/runs/dataset';
import { estimateDatasetRuns, type DatasetEstimate } from '../core/runs/datasetEstimate';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

/** Above this many bytes a dataset is not estimated row by row in the editor (the run summary still does it). */
const MAXIMUM_DATASET_BYTES = 2 * 1024 * 1024;
/** Typing must pause this long before the rows are estimated again (300 rows take ~30 ms, 20,000 about 1.5 s). */
const ESTIMATE_DELAY_MS = 500;
const NONE: ReadonlyMap<string, DatasetEstimate> = new Map();

/**
 * What running a `data:` prompt over every row of its dataset costs, for the CodeLens: estimated row by row (each
 * with its own values) after typing pauses, in slices that yield to the event loop, and kept until the document
 * or a dataset file changes. Until a new estimate is ready the previous one is shown (one edit behind at most).
 */
export class DatasetEstimates implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  /** Fires when an estimate is ready. */
  readonly onDidChange = this.changed.event;
  private readonly results = new Map<string, { key: string; estimates: ReadonlyMap<string, DatasetEstimate> }>();
  private readonly pending = new Map<string, { key: string; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
  ) {
    this.store.add(
      vscode.workspace.onDidCloseTextDocument((document) => {
        const uri = document.uri.toString();
        clearTimeout(this.pending.get(uri)?.timer);
        this.pending.delete(uri);
        this.results.delete(uri);
      }),
    );
    this.store.add({ dispose: () => this.pending.forEach(({ timer }) => clearTimeout(timer)) });
  }

  /** By prompt id; empty when no prompt names `data:` or has `testData`, the document is not a local file, or nothing is ready yet. */
  get(document: vscode.TextDocument, file: FileEstimate): ReadonlyMap<string, DatasetEstimate> {
    const prompts = file.parsed.prompts.filter(hasDataset);
    if (prompts.length === 0 || document.uri.scheme !== 'file') return NONE;
    const folder = path.dirname(document.uri.fsPath);
    const stamps = prompts.map((prompt) => {
      // testData rows are in the document itself: its version is the stamp.
      if (prompt.dataFile === undefined) return 'inline';
      try {
        const stat = statSync(path.resolve(folder, prompt.dataFile!));
        return stat.size > MAXIMUM_DATASET_BYTES ? 'too-large' : `${stat.size}:${stat.mtimeMs}`;
      } catch {
        return 'missing';
      }
    });
    if (stamps.includes('too-large')) return NONE;
    const key = `${document.version}|${stamps.join('|')}`;
    const uri = document.uri.toString();
    const result = this.results.get(uri);
    if (result?.key !== key && this.pending.get(uri)?.key !== key) this.schedule(uri, document.uri.fsPath, file, key);
    return result?.estimates ?? NONE;
  }

  dispose(): void {
    this.store.dispose();
  }

  private schedule(uri: string, fsPath: string, file: FileEstimate, key: string): void {
    clearTimeout(this.pending.get(uri)?.timer);
    const superseded = () => this.pending.get(uri)?.key !== key;
    const timer = setTimeout(() => {
      void estimateDatasetRuns(
        file.parsed,
        fsPath,
        this.estimator.options(undefined, false),
        this.settings.current.pricingOverrides,
        superseded,
      ).then(
        (estimates) => {
          if (!estimates || superseded()) return;
          this.pending.delete(uri);
          this.results.set(uri, { key, estimates });
          this.changed.fire();
        },
        () => {
          // An unreadable row or document leaves the lens out; the run summary reports the problem.
          if (!superseded()) this.pending.delete(uri);
        },
      );
    }, ESTIMATE_DELAY_MS);
    this.pending.set(uri, { key, timer });
  }
}
