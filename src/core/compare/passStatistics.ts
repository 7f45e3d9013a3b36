/** z for a two-sided 95 % interval. */
const Z_95 = 1.959964;

/**
 * The Wilson score interval of a pass rate (`passed` of `total`) at 95 %: unlike the normal approximation it stays
 * inside [0, 1] and is meaningful at 20/20 or 0/20, which small trials often hit. [0, 1] when nothing was scored.
 * (Wilson 1927; see e.g. NIST/SEMATECH e-Handbook 7.2.4.1.)
 */
export function wilsonInterval(passed: number, total: number, z = Z_95): [number, number] {
  if (total <= 0) return [0, 1];
  const rate = passed / total;
  const z2 = z * z;
  const centre = (rate + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((rate * (1 - rate)) / total + z2 / (4 * total * total));
  // At 0/n and n/n the bound is exactly 0 or 1; floating point would leave it a hair inside the observed rate.
  return [passed === 0 ? 0 : Math.max(0, centre - half), passed === total ? 1 : Math.min(1, centre + half)];
}

/** The nearest-rank percentile (`p` in 0..100) of `values`; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
