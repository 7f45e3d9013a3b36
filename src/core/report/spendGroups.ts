import type { SpendRow } from './costReportTypes';
import { COL, type Rollup } from './ledgerRollup';
import { MoneySum } from './money';

/** Running totals of one group of rollup rows (a model, a file, a run, a day, a prompt). */
export class SpendTotals {
  calls = 0;
  cacheHits = 0;
  inputTokens = 0;
  cachedTokens = 0;
  outputTokens = 0;
  readonly spend = new MoneySum();
  readonly saved = new MoneySum();

  /** Adds row `row` of `rollup`. */
  add(rollup: Rollup, row: number): void {
    const columns = rollup.rows;
    this.calls += columns[COL.calls]![row]!;
    this.cacheHits += columns[COL.cacheHits]![row]!;
    // Tokens billed: a cache hit's usage was not paid again, so rows count paid calls' tokens only.
    this.inputTokens += columns[COL.inputTokens]![row]!;
    this.cachedTokens += columns[COL.cachedTokens]![row]!;
    this.outputTokens += columns[COL.outputTokens]![row]!;
    this.spend.addParts(columns[COL.spendKnown]![row]!, columns[COL.spendUnpriced]![row]!);
    this.saved.addParts(columns[COL.savedKnown]![row]!, columns[COL.savedUnpriced]![row]!);
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

/** Groups rollup rows by a key; rows come out most expensive first (unknown-price rows before $0 ones). */
export class SpendGroups {
  private readonly groups = new Map<string, SpendTotals>();

  add(key: string, rollup: Rollup, row: number): void {
    let totals = this.groups.get(key);
    if (!totals) this.groups.set(key, (totals = new SpendTotals()));
    totals.add(rollup, row);
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
  return (
    b.spend.knownUsd - a.spend.knownUsd ||
    b.spend.unpriced - a.spend.unpriced ||
    b.calls - a.calls ||
    a.name.localeCompare(b.name)
  );
}
