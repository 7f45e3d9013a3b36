import * as vscode from 'vscode';
import { buildCostReport } from '../core/report/costReport';
import type { CostReport } from '../core/report/costReportTypes';
import { LedgerReader } from '../core/report/ledgerReader';
import { ledgerPathOf, loadCostReport, PROMPT_METER_FOLDER, runsFolderOf } from '../core/report/loadCostReport';
import { datedPriceLookup, type PriceLookup } from '../core/report/priceLookup';
import type { ReportRangeName } from '../core/report/reportPeriods';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

/** Changes closer together than this are read once. */
const REFRESH_DELAY_MS = 250;
/** Periods ("today", "this month") move with the clock even when nothing is written. */
const CLOCK_REFRESH_MS = 10 * 60 * 1000;

/**
 * The cost report of one workspace folder — the folder of the active editor's file (multi-root: each folder keeps
 * its own ledger and runs), else the one shown last, else the first — kept current: re-read when the ledger or a run's run.json
 * changes (a file watcher, so calls finished by the CLI or another window count too), when settings change,
 * and every few minutes for the clock. The view and the status bar listen to `onDidChange`.
 */
export class CostReportService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<void>());
  /** Fires after a new report (or a new problem) is available. */
  readonly onDidChange = this.changed.event;
  private folderWatch: DisposableStore | undefined;
  private rangeName: ReportRangeName = 'month';
  private latest: CostReport | undefined;
  private latestProblem: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> = Promise.resolve();
  /** One ledger reader per ledger folder (switching folders and back reads only what was appended meanwhile). */
  private readonly ledgerReaders = new Map<string, { pricingKey: string | undefined; reader: LedgerReader }>();
  /** The folder picked by the active editor; undefined: the first folder. */
  private followed: vscode.WorkspaceFolder | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(settings.onDidChange(() => this.refresh()));
    this.store.add(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.followed = undefined;
        this.ledgerReaders.clear();
        this.follow(vscode.window.activeTextEditor?.document.uri);
        this.watch();
      }),
    );
    this.store.add(vscode.window.onDidChangeActiveTextEditor((editor) => this.follow(editor?.document.uri, true)));
    this.follow(vscode.window.activeTextEditor?.document.uri);
    const clock = setInterval(() => this.refresh(), CLOCK_REFRESH_MS);
    this.store.add({ dispose: () => clearInterval(clock) });
    this.store.add({ dispose: () => clearTimeout(this.timer) });
    this.store.add({ dispose: () => this.folderWatch?.dispose() });
    this.watch();
  }

  /** The folder whose `.promptmeter` is read; undefined without a workspace. */
  get folder(): vscode.WorkspaceFolder | undefined {
    return this.followed ?? vscode.workspace.workspaceFolders?.[0];
  }

  /** Shows the report of the folder holding `uri` when it is another workspace folder (a file outside keeps it). */
  private follow(uri: vscode.Uri | undefined, rewatch = false): void {
    const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || folder.uri.toString() === this.folder?.uri.toString()) return;
    this.followed = folder;
    if (rewatch) this.watch();
  }

  get report(): CostReport | undefined {
    return this.latest;
  }

  /** Why the last read failed, or null. */
  get problem(): string | null {
    return this.latestProblem;
  }

  get range(): ReportRangeName {
    return this.rangeName;
  }

  setRange(range: ReportRangeName): void {
    if (range === this.rangeName) return;
    this.rangeName = range;
    this.refresh(0);
  }

  /** Schedules a re-read (coalescing bursts of ledger appends). */
  refresh(delayMs = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.reading = this.reading.then(() => this.read());
    }, delayMs);
  }

  /**
   * Reads now and resolves when the new report is available (commands that export use this). `complete`: every
   * row of every list, for an export (the view's report caps them); it is not kept as the view's report.
   */
  async current(options: { readonly complete?: boolean } = {}): Promise<CostReport | undefined> {
    if (!options.complete) {
      this.reading = this.reading.then(() => this.read());
      await this.reading;
      return this.latest;
    }
    const reading = this.reading.then(() => this.build(true));
    this.reading = reading.then(
      () => undefined,
      () => undefined,
    );
    return reading;
  }

  private watch(): void {
    this.folderWatch?.dispose();
    const watch = (this.folderWatch = new DisposableStore());
    const folder = this.folder;
    if (folder) {
      // The ledger's segments, an old single-file ledger (moved into the folder when read) and the runs.
      const pattern = new vscode.RelativePattern(
        folder,
        `${PROMPT_METER_FOLDER}/{ledger.jsonl,ledger/*.jsonl,runs/*/run.json}`,
      );
      const watcher = watch.add(vscode.workspace.createFileSystemWatcher(pattern));
      watch.add(watcher.onDidCreate(() => this.refresh()));
      watch.add(watcher.onDidChange(() => this.refresh()));
      watch.add(watcher.onDidDelete(() => this.refresh()));
    }
    this.refresh(0);
  }

  private async read(): Promise<void> {
    try {
      this.latest = await this.build(false);
      this.latestProblem = null;
    } catch (error) {
      this.latestProblem = `The cost ledger could not be read: ${(error as Error).message}`;
      this.log.warn(this.latestProblem);
    }
    this.changed.fire();
  }

  private async build(complete: boolean): Promise<CostReport> {
    const folder = this.folder;
    const settings = this.settings.current;
    const pricing = datedPriceLookup(settings.pricingOverrides);
    const options = {
      now: new Date(),
      pricing,
      hasPriceOverrides: Object.keys(settings.pricingOverrides).length > 0,
      budget: { monthlyUsd: settings.budgetMonthlyUsd, perRunUsd: settings.budgetPerRunUsd },
      range: this.rangeName,
      complete,
    };
    // Without a folder there is no ledger: the report is empty and the view says to open a folder.
    const base = folder?.uri.fsPath;
    if (!base) return buildCostReport([], options);
    const ledgerPath = ledgerPathOf(base);
    return loadCostReport({
      ...options,
      ledgerPath,
      runsFolder: runsFolderOf(base),
      reader: this.readerOf(ledgerPath, pricing),
    });
  }

  /**
   * One reader per ledger and prices, kept across refreshes: a run appends to the ledger many times a second,
   * and each refresh reads only the bytes appended since the last one.
   */
  private readerOf(ledgerPath: string, pricing: PriceLookup): LedgerReader {
    const current = this.ledgerReaders.get(ledgerPath);
    if (current && current.pricingKey === pricing.key) return current.reader;
    const reader = new LedgerReader({ folder: ledgerPath }, { pricing, pricingKey: pricing.key });
    this.ledgerReaders.set(ledgerPath, { pricingKey: pricing.key, reader });
    return reader;
  }

  dispose(): void {
    this.store.dispose();
  }
}
