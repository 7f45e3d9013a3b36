import * as vscode from 'vscode';
import { createPromptMeterClient } from '../core/client/createClient';
import type { PromptMeterClient } from '../core/client/promptMeterClient';
import type { PromptEstimator } from '../core/estimate/promptEstimator';
import { SegmentedLedger } from '../core/ledger/segmentedLedger';
import { ledgerPathOf } from '../core/report/loadCostReport';
import type { ApiKeyStore } from './apiKeyStore';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

/**
 * Owns the one client of the extension host, built on first use from the settings and the key in
 * SecretStorage, and rebuilt when either changes. The ledger lives in the workspace
 * (the folder `.promptmeter/ledger`, shared with the CLI); the disk cache in the extension's global storage.
 */
export class ClientService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private current: { client: PromptMeterClient; ledger: SegmentedLedger } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly keys: ApiKeyStore,
    private readonly estimator: PromptEstimator,
    private readonly globalStorage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(settings.onDidChange(() => this.reset()));
    this.store.add(keys.onDidChange(() => this.reset()));
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()));
    this.store.add({ dispose: () => this.reset() });
  }

  /** The client, or undefined when no API key is set (callers offer "Set API Key"). */
  async client(): Promise<PromptMeterClient | undefined> {
    if (this.current) return this.current.client;
    const apiKey = await this.keys.get();
    if (!apiKey) return undefined;
    const ledger = new SegmentedLedger(this.ledgerPath().fsPath);
    const client = createPromptMeterClient(this.settings.current, {
      apiKey,
      pricing: this.estimator.currentPricing,
      counterFor: (encoding) => {
        try {
          return this.estimator.counter(encoding);
        } catch {
          return undefined;
        }
      },
      cacheDirectory: vscode.Uri.joinPath(this.globalStorage, 'cache').fsPath,
      ledger,
      logger: { warn: (message) => this.log.warn(message) },
    });
    this.current = { client, ledger };
    this.log.info(`API client ready for ${this.settings.current.baseUrl}.`);
    return client;
  }

  /** The key for the Batch API client (files and batches go through the SDK directly). */
  apiKey(): Thenable<string | undefined> {
    return this.keys.get();
  }

  get ledger(): SegmentedLedger | undefined {
    return this.current?.ledger;
  }

  /** The ledger folder `<first workspace folder>/.promptmeter/ledger`, or in the global storage without a workspace. */
  ledgerPath(): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.file(ledgerPathOf(folder.uri.fsPath)) : vscode.Uri.joinPath(this.globalStorage, 'ledger');
  }

  private reset(): void {
    const previous = this.current;
    this.current = undefined;
    if (previous) void previous.client.close().catch(() => undefined);
  }

  dispose(): void {
    this.store.dispose();
  }
}
