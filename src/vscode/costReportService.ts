import * as vscode from 'vscode';
import { LedgerTail } from '../core/ledger/ledgerTail';
import type { LedgerContents } from '../core/ledger/readLedger';
import { buildCostReport } from '../core/report/costReport';
import type { CostReport } from '../core/report/costReportTypes';
import { ledgerPathOf, loadCostReport, PROMPT_METER_FOLDER, runsFolderOf } from '../core/report/loadCostReport';
import { datedPriceLookup } from '../core/report/priceLookup';
import type { ReportRangeName } from '../core/report/reportPeriods';
import { DisposableStore } from './disposableStore';
import type { SettingsService } from './settingsService';

/** Changes closer together than this are read once. */
const REFRESH_DELAY_MS = 250;
/** Periods ("today", "this month") move with the clock even when nothing is written. */
const CLOCK_REFRESH_MS = 10 * 60 * 1000;

/**
 * The cost report of the first workspace folder, kept current: re-read when the ledger or a run's run.json
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
  private tail: { path: string; reader: LedgerTail } | undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(settings.onDidChange(() => this.refresh()));
    this.store.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()));
    const clock = setInterval(() => this.refresh(), CLOCK_REFRESH_MS);
    this.store.add({ dispose: () => clearInterval(clock) });
    this.store.add({ dispose: () => clearTimeout(this.timer) });
    this.store.add({ dispose: () => this.folderWatch?.dispose() });
    this.watch();
  }

  /** The folder whose `.promptmeter` is read; undefined without a workspace. */
  get folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
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

  /** Reads now and resolves when the new report is available (commands that export use this). */
  async current(): Promise<CostReport | undefined> {
    this.reading = this.reading.then(() => this.read());
    await this.reading;
    return this.latest;
  }

  private watch(): void {
    this.folderWatch?.dispose();
    const watch = (this.folderWatch = new DisposableStore());
    const folder = this.folder;
    if (folder) {
      const pattern = new vscode.RelativePattern(folder, `${PROMPT_METER_FOLDER}/{ledger.jsonl,runs/*/run.json}`);
      const watcher = watch.add(vscode.workspace.createFileSystemWatcher(pattern));
      watch.add(watcher.onDidCreate(() => this.refresh()));
      watch.add(watcher.onDidChange(() => this.refresh()));
      watch.add(watcher.onDidDelete(() => this.refresh()));
    }
    this.refresh(0);
  }

  private async read(): Promise<void> {
    const folder = this.folder;
    const settings = this.settings.current;
    try {
      const options = {
        now: new Date(),
        pricing: datedPriceLookup(settings.pricingOverrides),
        hasPriceOverrides: Object.keys(settings.pricingOverrides).length > 0,
        budget: { monthlyUsd: settings.budgetMonthlyUsd, perRunUsd: settings.budgetPerRunUsd },
        range: this.rangeName,
      };
      // Without a folder there is no ledger: the report is empty and the view says to open a folder.
      const base = folder?.uri.fsPath;
      this.latest = base ? await loadCostReport({ ...options, ...this.ledgerOf(base), runsFolder: runsFolderOf(base) }) : buildCostReport([], options);
      this.latestProblem = null;
    } catch (error) {
      this.latestProblem = `The cost ledger could not be read: ${(error as Error).message}`;
      this.log.warn(this.latestProblem);
    }
    this.changed.fire();
  }

  /** The ledger of `base`, read incrementally across refreshes (a run appends to it many times a second). */
  private ledgerOf(base: string): { ledgerPath: string; readLedger: () => Promise<LedgerContents> } {
    const ledgerPath = ledgerPathOf(base);
    if (this.tail?.path !== ledgerPath) this.tail = { path: ledgerPath, reader: new LedgerTail(ledgerPath) };
    const reader = this.tail.reader;
    return { ledgerPath, readLedger: () => reader.read() };
  }

  dispose(): void {
    this.store.dispose();
  }
}
