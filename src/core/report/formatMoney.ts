import { formatUsd } from '../estimate/formatting';
import type { MoneyAmount } from './money';

/**
 * "$0.532"; "$0.010 + 2 of unknown cost" when some parts have no known cost; "unknown" when nothing is known.
 * "Unknown cost", not "unpriced": a call cancelled before its usage was reported has an unknown cost although its
 * model's price is known.
 */
export function formatMoney(amount: MoneyAmount): string {
  if (amount.unpriced === 0) return formatUsd(amount.knownUsd);
  if (amount.knownUsd === 0) return 'unknown';
  return `${formatUsd(amount.knownUsd)} + ${amount.unpriced} of unknown cost`;
}

/** The exact figure for a tooltip or a CSV reader: "0.532 USD", "at least 0.01 USD (2 of unknown cost)". */
export function exactMoney(amount: MoneyAmount): string {
  if (amount.unpriced === 0) return `${amount.knownUsd} USD`;
  return `at least ${amount.knownUsd} USD (${amount.unpriced} of unknown cost)`;
}

/** A fraction as a percentage: "25%", "<1%" for small positive ones, "" for null. */
export function formatShare(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '';
  if (fraction > 0 && fraction < 0.01) return '<1%';
  return `${Math.round(fraction * 100)}%`;
}
