import * as vscode from 'vscode';
import { runFolderThroughBatchApi } from '../core/batchApi/runFolderThroughBatchApi';
import { createFileDocumentReader } from '../core/chunking/fileDocumentReader';
import type { PromptMeterClient } from '../core/client/promptMeterClient';
import { formatUsd } from '../core/estimate/formatting';
import type { PromptEstimator } from '../core/estimate/promptEstimator';
import { changedFrom, readModelChanges } from '../core/runs/modelChanges';
import { executeRun, type RunOutcome } from '../core/runs/runExecutor';
import type { RunFolder } from '../core/runs/runStore';
import type { ClientService } from './clientService';
import type { SettingsService } from './settingsService';

/** How a confirmed run is sent. */
export type RunMode = 'standard' | 'batchApi';

/**
 * Runs a planned folder with a cancellable progress notification, through the throttled client
 * (`standard`) or the OpenAI Batch API (`batchApi`: cancel cancels the batch; a restart resumes polling).
 */
export class RunExecution {
  constructor(
    private readonly estimator: PromptEstimator,
    private readonly settings: SettingsService,
    private readonly clients: ClientService,
  ) {}

  async execute(run: RunFolder, mode: RunMode, client: PromptMeterClient, followers: ReadonlyMap<string, string>, workspace: vscode.Uri): Promise<RunOutcome | undefined> {
    const title = mode === 'batchApi' ? `Prompt Meter: Batch API run of ${run.index.source}` : `Prompt Meter: running ${run.index.source}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      let reported = 0;
      const report = (done: number, total: number, text: string) => {
        const share = (done / Math.max(1, total)) * 100;
        progress.report({ increment: share - reported, message: text });
        reported = share;
      };
      try {
        if (mode === 'batchApi') {
          const apiKey = await this.clients.apiKey();
          if (!apiKey) return undefined;
          const { outcome } = await runFolderThroughBatchApi(run, {
            apiKey,
            baseUrl: this.settings.current.baseUrl,
            timeoutMs: this.settings.current.requestTimeoutMs,
            pricing: this.estimator.currentPricing,
            ledger: this.clients.ledger,
            followers,
            signal: cancel.signal,
            onProgress: (state) => {
              const batch = state.batches.map((item) => item.status).join(', ') || state.phase;
              report(state.done, state.total, `batch ${batch} · ${state.done}/${state.total} · ${formatUsd(state.costUsd)}`);
            },
          });
          return outcome;
        }
        const changes = readModelChanges(workspace.fsPath);
        return await executeRun(run, client, {
          signal: cancel.signal,
          semanticFollowers: followers,
          ledger: this.clients.ledger,
          modelChangedFrom: (job) => changedFrom(changes, job.file, job.model),
          mapReduce: {
            counter: await this.estimator.load(['o200k_base']).then(() => this.estimator.counter('o200k_base')),
            readDocument: (workspacePath) => createFileDocumentReader(workspace.fsPath)('', workspacePath),
            pricing: this.estimator.currentPricing,
            overrides: this.settings.current.pricingOverrides,
          },
          onProgress: (state) =>
            report(state.done, state.total, `${state.done}/${state.total} · ${formatUsd(state.costUsd)}${state.etaSeconds !== undefined ? ` · ETA ${Math.ceil(state.etaSeconds)} s` : ''}`),
        });
      } finally {
        subscription.dispose();
      }
    });
  }
}
