import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { ReasoningHistory, ReasoningObservation } from './reasoningEstimate';

/** Recent calls per prompt and model that the median is taken over. */
const RECENT_CALLS = 20;

/**
 * The median reasoning tokens of each prompt's recent answered calls per model, from ledger entries (oldest
 * first): the evidence that replaces the per-effort assumption. Only real calls count (not cache hits or errors);
 * `file` is matched by the ledger's `source` (workspace-relative path) through `sourceOf`.
 */
export function reasoningHistoryFrom(
  entries: Iterable<LedgerEntry>,
  sourceOf: (file: string) => string = (file) => file,
): ReasoningHistory {
  const recent = new Map<string, number[]>();
  for (const entry of entries) {
    if (entry.outcome !== 'ok' || (entry.cache !== 'miss' && entry.cache !== 'bypass') || entry.source === undefined)
      continue;
    const key = `${entry.source}\u0000${entry.model}`;
    const list = recent.get(key) ?? [];
    list.push(entry.usage.reasoningTokens);
    if (list.length > RECENT_CALLS) list.shift();
    recent.set(key, list);
  }
  return (file: string, model: string): ReasoningObservation | undefined => {
    const list = recent.get(`${sourceOf(file)}\u0000${model}`);
    if (!list || list.length === 0) return undefined;
    return { medianReasoningTokens: median(list), calls: list.length };
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}
