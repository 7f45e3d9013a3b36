import type * as vscode from 'vscode';
import type { Estimator } from '../core/estimate/estimator';
import { reasoningHistoryFrom } from '../core/estimate/reasoningHistory';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import { DisposableStore } from './disposableStore';

/** Re-reading the ledger's end waits this long after the last change (a run appends several entries a second). */
const DEBOUNCE_MS = 2000;

/**
 * Feeds the estimator the reasoning tokens each prompt's recent calls really used (the ledger's last few MB), so
 * "expected reasoning" follows evidence instead of the per-effort assumption. Reads once shortly after start and
 * again after the ledger changes; never on the typing path.
 */
export class ReasoningHistoryService implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly estimator: Estimator,
    /** The ledger folders to read: every workspace folder's (multi-root). */
    private readonly ledgerPaths: () => readonly string[],
    ledgerChanged: vscode.Event<unknown>,
    private readonly onUpdated: () => void,
  ) {
    this.store.add(ledgerChanged(() => this.schedule()));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const entries = this.ledgerPaths().flatMap((folder) => readRecentLedgerEntries(folder));
      this.estimator.useReasoningHistory(reasoningHistoryFrom(entries));
      this.onUpdated();
    }, DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.store.dispose();
  }
}
