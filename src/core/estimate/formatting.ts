/** Money for people: enough digits to see sub-cent prompt costs, never "$0.00" for a non-zero amount. */
export function formatUsd(amount: number): string {
  if (amount === 0) return '$0';
  const absolute = Math.abs(amount);
  if (absolute >= 100) return `$${amount.toFixed(0)}`;
  if (absolute >= 1) return `$${amount.toFixed(2)}`;
  if (absolute >= 0.01) return `$${amount.toFixed(3)}`;
  if (absolute >= 0.0001) return `$${amount.toFixed(5)}`;
  // Two significant digits in plain decimals ("$0.00000014", never "$1.4e-7"), at most 12 places.
  const decimals = Math.min(12, 1 - Math.floor(Math.log10(absolute)));
  const text = amount.toFixed(decimals);
  return Number(text) === 0 ? `${amount < 0 ? '-' : ''}<$0.000000000001` : `$${text}`;
}

/** 12,345 tokens; 1.2M for millions. */
export function formatTokens(count: number): string {
  if (count >= 10_000_000) return `${(count / 1_000_000).toFixed(1)}M`;
  return count.toLocaleString('en-US');
}

/** An estimate label for money that may be unknown: "price unknown" rather than $0. */
/** A budget in USD: whole cents when they say it all ("$5.00"), else enough digits that $0.001 never reads "$0.00". */
export function formatBudgetUsd(usd: number): string {
  return Number(usd.toFixed(2)) === usd ? `$${usd.toFixed(2)}` : formatUsd(usd);
}

export function formatEstimate(amount: number | undefined): string {
  return amount === undefined ? 'price unknown' : `~${formatUsd(amount)}`;
}
