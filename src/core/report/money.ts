/**
 * A sum of USD figures of which some may be unknown (a model without a known price). An unknown part is never
 * counted as $0: the total becomes unknown and the known part is kept as a lower bound.
 */
export interface MoneyAmount {
  /** The total in USD; null when any part has an unknown price. */
  readonly usd: number | null;
  /** The sum of the parts whose price is known (a lower bound of the total when `unpriced` > 0). */
  readonly knownUsd: number;
  /** How many parts had an unknown price. */
  readonly unpriced: number;
}

/** The empty sum: $0 with nothing unknown. */
export const ZERO_MONEY: MoneyAmount = { usd: 0, knownUsd: 0, unpriced: 0 };

/** Rounds away floating-point noise (1e-12 USD), so hand-checked sums print as expected. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e12) / 1e12;
}

/** Accumulates USD figures (or `null` for unknown ones) into a {@link MoneyAmount}. */
export class MoneySum {
  private known = 0;
  private unknown = 0;

  /** Adds one figure; `null` or `undefined` means its price is unknown. */
  add(usd: number | null | undefined): this {
    if (typeof usd === 'number' && Number.isFinite(usd)) this.known += usd;
    else this.unknown += 1;
    return this;
  }

  /** Adds a known USD part and a count of parts without a price. */
  addParts(knownUsd: number, unpriced: number): this {
    this.known += knownUsd;
    this.unknown += unpriced;
    return this;
  }

  /** Adds another sum, keeping its unknown parts unknown. */
  addAmount(amount: MoneyAmount): this {
    this.known += amount.knownUsd;
    this.unknown += amount.unpriced;
    return this;
  }

  get amount(): MoneyAmount {
    const knownUsd = roundUsd(this.known);
    return { usd: this.unknown > 0 ? null : knownUsd, knownUsd, unpriced: this.unknown };
  }
}

/** Sums amounts (unknown parts stay unknown). */
export function sumAmounts(amounts: Iterable<MoneyAmount>): MoneyAmount {
  const sum = new MoneySum();
  for (const amount of amounts) sum.addAmount(amount);
  return sum.amount;
}
