import { formatUsd } from '../estimate/formatting';
import type { MoneyAmount } from './money';

/** "$0.532"; "$0.010 + 2 unpriced" when some prices are unknown; "unknown" when nothing is priced. */
export function formatMoney(amount: MoneyAmount): string {
  if (amount.unpriced === 0) return formatUsd(amount.knownUsd);
  if (amount.knownUsd === 0) return 'unknown';
  return `${formatUsd(amount.knownUsd)} + ${amount.unpriced} unpriced`;
}

/** The exact figure for a tooltip or a CSV reader: "0.532 USD", "at least 0.01 USD (2 calls with unknown price)". */
export function exactMoney(amount: MoneyAmount): string {
  if (amount.unpriced === 0) return `${amount.knownUsd} USD`;
  return `at least ${amount.knownUsd} USD (${amount.unpriced} with unknown price)`;
}

/** A fraction as a percentage: "25%", "<1%" for small positive ones, "" for null. */
export function formatShare(fraction: number | null): string {
  if (fraction === null || !Number.isFinite(fraction)) return '';
  if (fraction > 0 && fraction < 0.01) return '<1%';
  return `${Math.round(fraction * 100)}%`;
}
