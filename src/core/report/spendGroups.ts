import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { SpendRow } from './costReportTypes';
import { MoneySum } from './money';
import { isPaidCall, type EntrySaving } from './savings';

/** Running totals of one group of ledger entries (a model, a file, a run, a day, a prompt). */
export class SpendTotals {
  calls = 0;
  cacheHits = 0;
  inputTokens = 0;
  cachedTokens = 0;
  outputTokens = 0;
  readonly spend = new MoneySum();
  readonly saved = new MoneySum();

  add(entry: LedgerEntry, savings: readonly EntrySaving[]): void {
    this.calls += 1;
    if (!isPaidCall(entry)) this.cacheHits += 1;
    else {
      // Tokens billed: a cache hit's usage was not paid again, so it is not counted here.
      this.inputTokens += entry.usage.promptTokens;
      this.cachedTokens += entry.usage.cachedTokens;
      this.outputTokens += entry.usage.completionTokens;
    }
    this.spend.add(entry.costUsd);
    for (const saving of savings) this.saved.add(saving.usd);
  }

  /** The row for this group; `share` is its part of `rangeKnownUsd`. */
  row(name: string, rangeKnownUsd: number): SpendRow {
    const spend = this.spend.amount;
    return {
      name,
      calls: this.calls,
      cacheHits: this.cacheHits,
      inputTokens: this.inputTokens,
      cachedTokens: this.cachedTokens,
      outputTokens: this.outputTokens,
      spend,
      saved: this.saved.amount,
      share: rangeKnownUsd > 0 ? spend.knownUsd / rangeKnownUsd : null,
    };
  }
}

/** Groups entries by a key; rows come out most expensive first (unknown-price rows before $0 ones). */
export class SpendGroups {
  private readonly groups = new Map<string, SpendTotals>();

  add(key: string, entry: LedgerEntry, savings: readonly EntrySaving[]): void {
    let totals = this.groups.get(key);
    if (!totals) this.groups.set(key, (totals = new SpendTotals()));
    totals.add(entry, savings);
  }

  get(key: string): SpendTotals | undefined {
    return this.groups.get(key);
  }

  rows(rangeKnownUsd: number): SpendRow[] {
    return [...this.groups.entries()].map(([name, totals]) => totals.row(name, rangeKnownUsd)).sort(bySpendDescending);
  }
}

/** Most expensive first; ties: more unknown-price entries first, then more calls, then by name. */
export function bySpendDescending(a: SpendRow, b: SpendRow): number {
  return b.spend.knownUsd - a.spend.knownUsd || b.spend.unpriced - a.spend.unpriced || b.calls - a.calls || a.name.localeCompare(b.name);
}
