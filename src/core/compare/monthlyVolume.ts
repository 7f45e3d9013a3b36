import type { LedgerEntry } from '../ledger/ledgerEntry';

const DAY_MS = 86_400_000;

/**
 * The prompt's own chat calls (answered, ledger `source` = its workspace-relative file) over the 30 days before
 * `now`: the volume a model change would apply to. Comparison calls (`compare:` sources) are not counted.
 * Undefined when the ledger has none (no volume to project from).
 */
export function monthlyCalls(entries: readonly LedgerEntry[], file: string, now: Date): number | undefined {
  const since = now.getTime() - 30 * DAY_MS;
  let calls = 0;
  for (const entry of entries) {
    if (entry.source !== file || entry.endpoint !== 'chat.completions' || entry.outcome !== 'ok') continue;
    const time = Date.parse(entry.time);
    if (Number.isFinite(time) && time >= since && time <= now.getTime()) calls++;
  }
  return calls > 0 ? calls : undefined;
}
