import path from 'node:path';
import * as vscode from 'vscode';
import { ClientLeases, type Lease } from '../core/client/clientLeases';
import { createPromptMeterClient } from '../core/client/createClient';
import { displayBaseUrl } from '../core/client/errors';
import type { PromptMeterClient } from '../core/client/promptMeterClient';
import type { Estimator } from '../core/estimate/estimator';
import { SegmentedLedger } from '../core/ledger/segmentedLedger';
import { ledgerPathOf } from '../core/report/loadCostReport';
import { WorkspaceLayout } from '../core/workspace/workspaceLayout';
import type { ApiKeyStore } from './apiKeyStore';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';
import { allLayouts } from './workspaceFolders';

/** What a run holds: the client and the ledger it writes to, closed together. */
export interface LeasedClient {
  readonly client: PromptMeterClient;
  readonly ledger: SegmentedLedger;
  close(): Promise<void>;
}

/**
 * Owns the client of the extension host, built on first use from the settings and the key in SecretStorage.
 * A run or Run Prompt takes a {@link lease} and releases it when done: a change of settings, key or workspace
 * makes the next lease get a new client, and the old one (its memory cache, its Redis connection) is closed only
 * when the last run holding it lets go. The ledger lives in the workspace (the folder `.promptmeter/ledger`,
 * shared with the CLI); the disk cache in the extension's global storage.
 */
export class ClientService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly leases: ClientLeases<LeasedClient>;
  /** The ledgers of other workspace folders than the client's own, one per folder (multi-root). */
  private readonly folderLedgers = new Map<string, SegmentedLedger>();

  constructor(
    private readonly settings: SettingsService,
    private readonly keys: ApiKeyStore,
    private readonly estimator: Estimator,
    private readonly globalStorage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.leases = new ClientLeases(
      () => this.build(),
      (error) => this.log.warn(`Closing a replaced API client failed: ${(error as Error).message}`),
    );
    this.store.add(settings.onDidChange(() => this.leases.renew()));
    this.store.add(keys.onDidChange(() => this.leases.renew()));
    this.store.add(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.folderLedgers.clear();
        this.leases.renew();
      }),
    );
    this.store.add({ dispose: () => this.leases.dispose() });
  }

  /**
   * A lease on the client for one run, or undefined when no API key is set (callers offer "Set API Key").
   * Release it when the run ends (in a `finally`); until then a settings change does not close it.
   */
  lease(): Promise<Lease<LeasedClient> | undefined> {
    return this.leases.lease();
  }

  /**
   * The current client without a lease, or undefined when no API key is set. It is closed at the next settings
   * change even mid-run: runs should take a {@link lease} instead.
   */
  async client(): Promise<PromptMeterClient | undefined> {
    return (await this.leases.peek())?.client;
  }

  /** The key for the Batch API client (files and batches go through the SDK directly). */
  apiKey(): Thenable<string | undefined> {
    return this.keys.get();
  }

  get ledger(): SegmentedLedger | undefined {
    return this.leases.last?.ledger;
  }

  /** The ledger folder `<first workspace folder>/.promptmeter/ledger`, or in the global storage without a workspace. */
  ledgerPath(): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder
      ? vscode.Uri.file(ledgerPathOf(folder.uri.fsPath))
      : vscode.Uri.joinPath(this.globalStorage, 'ledger');
  }

  /** Every workspace folder's ledger folder (multi-root), or {@link ledgerPath} without a workspace. */
  ledgerPaths(): string[] {
    const layouts = allLayouts();
    return layouts.length > 0 ? layouts.map((layout) => layout.ledger) : [this.ledgerPath().fsPath];
  }

  /**
   * The ledger for calls of a prompt or run under workspace folder `root` (multi-root): the client's own when it is
   * that folder's, else that folder's `.promptmeter/ledger` (one client, one pair of rate-limit buckets, for all).
   */
  ledgerFor(leased: LeasedClient, root: string | undefined): SegmentedLedger {
    if (!root) return leased.ledger;
    const folder = path.resolve(new WorkspaceLayout(root).ledger);
    if (path.resolve(leased.ledger.folder) === folder) return leased.ledger;
    let ledger = this.folderLedgers.get(folder);
    if (!ledger) this.folderLedgers.set(folder, (ledger = new SegmentedLedger(folder)));
    return ledger;
  }

  private async build(): Promise<LeasedClient | undefined> {
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
    this.log.info(`API client ready for ${displayBaseUrl(this.settings.current.baseUrl)}.`);
    return { client, ledger, close: () => client.close() };
  }

  dispose(): void {
    this.store.dispose();
  }
}
