import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ComparisonStore } from '../core/compare/comparisonStore';
import { ComparisonSetupError, prepareComparison, type ComparisonSetup } from '../core/compare/prepareComparison';
import { comparisonPlanLines, runComparison } from '../core/compare/runComparison';
import type { Estimator } from '../core/estimate/estimator';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import { SIMILARITY_MODEL } from '../core/models/defaultModels';
import type { ClientService } from './clientService';
import type { ComparisonPanel } from './comparisonPanel';
import type { ComparisonResults } from './comparisonResults';
import { workspaceFolderOf } from './workspaceFolders';
import { requireTrust, showCallError } from './errorActions';
import { COMMANDS } from './ids';
import type { PromptDocuments } from './promptDocuments';
import type { SettingsService } from './settingsService';

/**
 * Prompt Meter: Compare Models. A thin host over core's comparison (`prepareComparison` → `runComparison`): it
 * shows the plan and estimated cost in a modal question before anything is sent, runs through the one client
 * (throttled, cached, ledger source `compare:<file>`) under a cancellable progress notification, then opens the
 * result panel and tells the "tested" labels to read again.
 */
export class CompareModelsCommand {
  constructor(
    private readonly documents: PromptDocuments,
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
    private readonly clients: ClientService,
    private readonly results: ComparisonResults,
    private readonly panel: ComparisonPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(uri?: vscode.Uri): Promise<void> {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    const format = document ? this.documents.formatOf(document) : undefined;
    if (!document || !format) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: open a prompt file with a dataset (data: or testData) to compare models on it.',
      );
      return;
    }
    const folder = this.results.folder(document.uri);
    if (!folder) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: open a folder first; comparisons are saved in its .promptmeter/comparisons.',
      );
      return;
    }
    if (!(await requireTrust())) return;
    const file = vscode.workspace.asRelativePath(document.uri, false);
    const text = document.getText();
    let setup: ComparisonSetup;
    try {
      setup = await prepareComparison({
        estimator: this.estimator,
        file,
        absolutePath: document.uri.fsPath,
        text,
        format,
      });
    } catch (error) {
      if (!(error instanceof ComparisonSetupError)) throw error;
      void vscode.window.showWarningMessage(`Prompt Meter: ${error.message}`);
      return;
    }
    const detail = [...comparisonPlanLines(setup, file).map((line) => line.trim()), ...setup.problems].join('\n');
    const cost = setup.estimatedUsd === null ? 'an unknown cost (a price is unknown)' : 'the estimated cost below';
    const choice = await vscode.window.showWarningMessage(
      `Compare ${setup.candidates.length} models on ${setup.rowCount} rows of ${file.split('/').pop() ?? file}? This sends ${setup.candidates.length * setup.rowCount} requests for ${cost}.`,
      { modal: true, detail },
      'Compare',
    );
    if (choice !== 'Compare') return;
    // The comparison holds a lease: a settings change meanwhile does not close the client under it.
    const lease = await this.clients.lease();
    if (!lease) {
      const set = await vscode.window.showErrorMessage(
        "Prompt Meter: no API key is set. It is stored in VS Code's secret storage, never in settings.",
        'Set API Key',
      );
      if (set) await vscode.commands.executeCommand(COMMANDS.setApiKey);
      return;
    }
    const client = lease.value.client;
    const ledger = this.clients.ledgerFor(lease.value, workspaceFolderOf(document.uri)?.uri.fsPath);
    const comparing = vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Prompt Meter: comparing models on ${file}`,
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          return await runComparison({
            setup,
            file,
            text,
            client,
            pricing: this.estimator.currentPricing,
            overrides: this.settings.current.pricingOverrides,
            similarityModel: SIMILARITY_MODEL,
            // The prompt's own workspace folder's ledger (multi-root): its monthly volume, and where the calls go.
            ledgerEntries: readRecentLedgerEntries(ledger.folder),
            ledger,
            store: new ComparisonStore(folder),
            now: () => new Date(),
            random: randomBytes(4).toString('hex'),
            signal: controller.signal,
            onProgress: (done, total) => {
              const percent = (done / total) * 100;
              progress.report({ message: `${done}/${total} answered`, increment: percent - reported });
              reported = percent;
            },
          });
        } catch (error) {
          if (controller.signal.aborted) return 'cancelled' as const;
          return { error };
        } finally {
          cancel.dispose();
        }
      },
    );
    const outcome = await comparing.then(
      (result) => {
        lease.release();
        return result;
      },
      (error: unknown) => {
        lease.release();
        throw error;
      },
    );
    if (outcome === 'cancelled') {
      void vscode.window.showInformationMessage(
        'Prompt Meter: comparison cancelled. The answers received so far are cached, so comparing again costs only the rest.',
      );
      return;
    }
    if ('error' in outcome) {
      await showCallError(outcome.error, 'the comparison');
      return;
    }
    this.log.info(
      `Comparison ${outcome.saved.id} of ${file}: ${outcome.saved.models.map((model) => `${model.model} ${model.passed}/${model.total}`).join(', ')}; recommended ${outcome.saved.recommended ?? 'none'}.`,
    );
    this.results.invalidate();
    this.panel.show({
      uri: document.uri,
      saved: outcome.saved,
      savedPath: outcome.savedPath,
      currentModel: setup.estimate.model,
    });
  }
}
