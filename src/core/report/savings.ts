import type { LedgerEntry } from '../ledger/ledgerEntry';
import { atFlexRates, BATCH_API_DISCOUNT } from '../pricing/modelPrice';
import { costOfUsage, ratesFor } from '../pricing/cost';
import { timeMs } from './ledgerTime';
import { MoneySum, type MoneyAmount } from './money';
import type { PriceLookup } from './priceLookup';

/** The optimizations whose savings the report shows, in display order. */
export type SavingsCause = 'responseCache' | 'dedupe' | 'batchApi' | 'promptCaching' | 'modelChange' | 'mapReduce';

/** Every cause in display order. */
export const SAVINGS_CAUSES: readonly SavingsCause[] = [
  'responseCache',
  'dedupe',
  'batchApi',
  'promptCaching',
  'modelChange',
  'mapReduce',
];

/** What each cause is called and the counterfactual its saving is measured against (shown in the view, CLI and docs). */
export const SAVINGS_CAUSE_TEXT: Readonly<
  Record<SavingsCause, { label: string; unit: string; counterfactual: string }>
> = {
  responseCache: {
    label: 'Response cache hits',
    unit: 'cache hits',
    counterfactual: 'The call that was not made, at the price it would have cost (the usage of the cached answer).',
  },
  dedupe: {
    label: 'Deduplicated calls',
    unit: 'calls not made',
    counterfactual:
      'Identical requests in flight, or identical / near-identical jobs in a batch, answered by one call: each call not made, at its price.',
  },
  batchApi: {
    label: 'Batch API discount',
    unit: 'batch calls',
    counterfactual: 'The same usage at standard (non-batch) prices, minus what the batch call cost.',
  },
  promptCaching: {
    label: 'Provider prompt caching',
    unit: 'calls with cached tokens',
    counterfactual:
      'cached_tokens × (input price − cached input price), at the rates the call was billed at (batch rates for batch calls).',
  },
  modelChange: {
    label: 'Cheaper model applied',
    unit: 'calls on a recommended model',
    counterfactual:
      'The same usage on the model the prompt used before Prompt Meter changed it, minus the actual cost.',
  },
  mapReduce: {
    label: 'Map-reduce instead of one call',
    unit: 'map-reduce jobs',
    counterfactual:
      'The estimate, recorded at run time, of one large call minus the map-reduce estimate (only when positive).',
  },
};

/** One saving found in one ledger entry. */
export interface EntrySaving {
  readonly cause: SavingsCause;
  /** Finer split inside the cause: the cache tier, "in-flight" / "batch (identical)", the model, "a → b". */
  readonly detail: string;
  /** USD saved; null when a price it needs is unknown. */
  readonly usd: number | null;
}

/** Map-reduce facts a caller records once per job in `extra.mapReduce`. */
export interface MapReduceEvidence {
  readonly singleCallEstimateUsd: number;
  readonly mapReduceEstimateUsd: number;
  readonly singleCallModel: string;
}

const PER_MILLION = 1_000_000;
const CACHE_TIERS = new Set(['memory', 'disk', 'redis']);

/** Whether an HTTP call was made for this entry (not answered by a cache or by another call). */
export function isPaidCall(entry: LedgerEntry): boolean {
  return entry.cache === 'miss' || entry.cache === 'bypass';
}

/** The map-reduce evidence of an entry, when it carries a well-formed one. */
export function mapReduceEvidence(entry: LedgerEntry): MapReduceEvidence | undefined {
  const value = entry.extra?.mapReduce;
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const single = record.singleCallEstimateUsd;
  const mapReduce = record.mapReduceEstimateUsd;
  if (
    typeof single !== 'number' ||
    !Number.isFinite(single) ||
    typeof mapReduce !== 'number' ||
    !Number.isFinite(mapReduce)
  )
    return undefined;
  return {
    singleCallEstimateUsd: single,
    mapReduceEstimateUsd: mapReduce,
    singleCallModel: typeof record.singleCallModel === 'string' ? record.singleCallModel : 'unknown model',
  };
}

/**
 * The savings one ledger entry is evidence of (usually none or one; a batch call with cached tokens on a
 * recommended model has three). Each cause changes exactly one thing and keeps everything else as it was:
 *
 * - responseCache — entry answered from the memory, disk or Redis cache: the call not made, `avoidedCostUsd`
 *   (priced from the cached usage when it is absent; unknown when it is null).
 * - dedupe — `cache: 'inflight'`: the call not made, `avoidedCostUsd`; `extra.dedupe` ('identical' |
 *   'semantic') marks batch dedupe, otherwise it is in-flight sharing.
 * - batchApi — a paid call with `batchApi`: standard price of the same usage (via pricing) − `costUsd`.
 * - promptCaching — a paid call with `usage.cachedTokens` > 0: cachedTokens × (input − cached input rate) / 1M,
 *   × 50% for batch calls, at the rates of the call's prompt size (long-context tier).
 * - modelChange — a paid call with `modelChangedFrom`: cost of the same usage (same cached tokens, same batch
 *   mode) on that model − `costUsd`. May be negative; it is then reported as a negative saving, not hidden.
 * - mapReduce — `extra.mapReduce`: singleCallEstimateUsd − mapReduceEstimateUsd when positive, else 0.
 *
 * Failed or cancelled paid calls are no evidence of a price saving, and a truncated answer (outcome `truncated`:
 * cut off or empty) is no evidence of any saving, whether it was paid for or shared.
 */
export function savingsOfEntry(entry: LedgerEntry, prices: PriceLookup): EntrySaving[] {
  const savings: EntrySaving[] = [];
  // A truncated answer (cut off, filtered, empty) was paid for and is no evidence of a saving.
  if (entry.outcome === 'truncated') return savings;
  // Most entries are evidence of nothing: the time is parsed and the price looked up only when a cause needs them.
  let at: Date | undefined;
  const time = (): Date => (at ??= new Date(timeMs(entry.time)));
  if (CACHE_TIERS.has(entry.cache))
    savings.push({ cause: 'responseCache', detail: entry.cache, usd: avoidedCost(entry, prices, time) });
  if (entry.cache === 'inflight')
    savings.push({ cause: 'dedupe', detail: dedupeKind(entry), usd: avoidedCost(entry, prices, time) });
  const from = entry.modelChangedFrom;
  if (
    isPaidCall(entry) &&
    entry.outcome === 'ok' &&
    (entry.batchApi || entry.usage.cachedTokens > 0 || (from && from !== entry.model))
  ) {
    const price = prices(entry.model, time());
    if (entry.batchApi) {
      const usd = price && entry.costUsd !== null ? costOfUsage(price, entry.usage) - entry.costUsd : null;
      savings.push({ cause: 'batchApi', detail: entry.model, usd });
    }
    if (entry.usage.cachedTokens > 0) {
      let usd: number | null = null;
      if (price && entry.serviceTier !== 'priority') {
        const rates = ratesFor(price, entry.usage.promptTokens);
        const cached = Math.min(entry.usage.cachedTokens, entry.usage.promptTokens);
        usd =
          ((cached * (rates.input - (rates.cachedInput ?? rates.input))) / PER_MILLION) *
          (entry.batchApi || entry.serviceTier === 'flex' ? BATCH_API_DISCOUNT : 1);
      }
      savings.push({ cause: 'promptCaching', detail: entry.model, usd });
    }
    if (from && from !== entry.model) {
      const fromPrice = prices(from, time());
      // The same call on the old model at the same tier: flex halves both sides, so only the model's part is counted.
      const before = fromPrice && entry.serviceTier === 'flex' ? atFlexRates(fromPrice) : fromPrice;
      const usd =
        before && entry.costUsd !== null && entry.serviceTier !== 'priority'
          ? costOfUsage(before, entry.usage, { batchApi: entry.batchApi === true }) - entry.costUsd
          : null;
      savings.push({ cause: 'modelChange', detail: `${from} → ${entry.model}`, usd });
    }
  }
  const mapReduce = mapReduceEvidence(entry);
  if (mapReduce) {
    const usd = Math.max(0, mapReduce.singleCallEstimateUsd - mapReduce.mapReduceEstimateUsd);
    savings.push({ cause: 'mapReduce', detail: `instead of one call on ${mapReduce.singleCallModel}`, usd });
  }
  return savings;
}

function avoidedCost(entry: LedgerEntry, prices: PriceLookup, at: () => Date): number | null {
  if (typeof entry.avoidedCostUsd === 'number') return entry.avoidedCostUsd;
  if (entry.avoidedCostUsd === null) return null;
  const price = prices(entry.model, at());
  if (!price || entry.serviceTier === 'priority') return null;
  return costOfUsage(entry.serviceTier === 'flex' ? atFlexRates(price) : price, entry.usage, {
    batchApi: entry.batchApi === true,
  });
}

function dedupeKind(entry: LedgerEntry): string {
  const kind = entry.extra?.dedupe;
  if (kind === 'identical') return 'batch (identical)';
  if (kind === 'semantic') return 'batch (semantic)';
  return 'in-flight';
}

/** One part of a cause: a cache tier, a dedupe kind, a model or a model change. */
export interface SavingDetail {
  readonly label: string;
  readonly amount: MoneyAmount;
  /** Ledger entries that are evidence of it. */
  readonly evidence: number;
}

/** The saving of one cause over a set of entries. */
export interface CauseSaving {
  readonly cause: SavingsCause;
  readonly label: string;
  readonly counterfactual: string;
  readonly amount: MoneyAmount;
  /** This cause's part of the known total saved (0–1); null when the total is not positive or this amount is not. */
  readonly share: number | null;
  /** Ledger entries that are evidence of it (always > 0: a cause without evidence is left out). */
  readonly evidence: number;
  /** What `evidence` counts, e.g. "cache hits". */
  readonly unit: string;
  readonly detail: readonly SavingDetail[];
}

/** Savings by cause; only causes with evidence in the entries are listed. */
export interface SavingsReport {
  readonly total: MoneyAmount;
  readonly causes: readonly CauseSaving[];
}

/** Adds up savings by cause and detail; {@link SavingsTally.report} lists them with each cause's share of the total. */
export class SavingsTally {
  private readonly causes = new Map<
    string,
    { sum: MoneySum; evidence: number; detail: Map<string, { sum: MoneySum; evidence: number }> }
  >();

  /** Adds `evidence` entries' savings of one cause and detail: `knownUsd` and `unpriced` of them without a price. */
  add(cause: string, detailLabel: string, knownUsd: number, unpriced: number, evidence: number): void {
    let total = this.causes.get(cause);
    if (!total) this.causes.set(cause, (total = { sum: new MoneySum(), evidence: 0, detail: new Map() }));
    total.sum.addParts(knownUsd, unpriced);
    total.evidence += evidence;
    let detail = total.detail.get(detailLabel);
    if (!detail) total.detail.set(detailLabel, (detail = { sum: new MoneySum(), evidence: 0 }));
    detail.sum.addParts(knownUsd, unpriced);
    detail.evidence += evidence;
  }

  /** Only causes with evidence are listed, in display order. */
  report(): SavingsReport {
    const total = new MoneySum();
    for (const cause of this.causes.values()) total.addAmount(cause.sum.amount);
    const totalAmount = total.amount;
    const listed: CauseSaving[] = [];
    for (const name of SAVINGS_CAUSES) {
      const cause = this.causes.get(name);
      if (!cause) continue;
      const amount = cause.sum.amount;
      const share = totalAmount.knownUsd > 0 && amount.knownUsd > 0 ? amount.knownUsd / totalAmount.knownUsd : null;
      const detail = [...cause.detail.entries()]
        .map(([label, part]) => ({ label, amount: part.sum.amount, evidence: part.evidence }))
        .sort((a, b) => b.amount.knownUsd - a.amount.knownUsd || a.label.localeCompare(b.label));
      listed.push({ cause: name, ...SAVINGS_CAUSE_TEXT[name], amount, share, evidence: cause.evidence, detail });
    }
    return { total: totalAmount, causes: listed };
  }
}

/** Adds up {@link savingsOfEntry} over `entries` by cause and detail, with each cause's share of the total. */
export function savingsByCause(entries: Iterable<LedgerEntry>, prices: PriceLookup): SavingsReport {
  const tally = new SavingsTally();
  for (const entry of entries) {
    for (const saving of savingsOfEntry(entry, prices)) {
      const usd = typeof saving.usd === 'number' && Number.isFinite(saving.usd) ? saving.usd : null;
      tally.add(saving.cause, saving.detail, usd ?? 0, usd === null ? 1 : 0, 1);
    }
  }
  return tally.report();
}
