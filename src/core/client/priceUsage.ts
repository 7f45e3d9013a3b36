import { costOfUsage } from '../pricing/cost';
import { atFlexRates, type ModelPrice } from '../pricing/modelPrice';
import type { Pricing } from '../pricing/pricing';
import type { LedgerUsage } from '../ledger/ledgerEntry';

/** A price for one call, and where it came from (for the ledger's `priceSource`). */
export interface PricedUsage {
  /** USD, or null when the model's price is unknown (never guessed as 0). */
  costUsd: number | null;
  priceSource: string;
}

/**
 * Prices a call from its usage: uncached prompt tokens, cached tokens at the cached rate, completion tokens.
 * Injected so the client does not import pricing data itself (the composition root passes the pricing service).
 */
export type PriceUsage = (model: string, usage: LedgerUsage, options: PriceOptions) => PricedUsage;

export interface PriceOptions {
  /** Sent through the Batch API (50%). */
  readonly batchApi: boolean;
  /**
   * The `service_tier` the answer says served it: `flex` bills Batch API rates; `priority` bills above standard at
   * rates the price data does not have (unknown); `default`/absent is the standard price.
   */
  readonly serviceTier?: string;
}

/** Prices one call's usage at the tier that served it (see PriceOptions). */
export function priceAtTier(price: ModelPrice | undefined, usage: LedgerUsage, options: PriceOptions): PricedUsage {
  if (!price) return { costUsd: null, priceSource: 'unknown price' };
  if (options.serviceTier === 'priority')
    return { costUsd: null, priceSource: 'priority processing: its rates are not in the price data' };
  if (options.serviceTier === 'flex') {
    const flex = atFlexRates(price);
    return { costUsd: costOfUsage(flex, usage, { batchApi: false }), priceSource: flex.source.label };
  }
  return { costUsd: costOfUsage(price, usage, { batchApi: options.batchApi }), priceSource: price.source.label };
}

/** Prices usage from the pricing service (overrides, then bundled dated prices); unknown models cost null, never 0. */
export function priceUsageFrom(pricing: Pricing): PriceUsage {
  return (model, usage, options) => priceAtTier(pricing.priceFor(model), usage, options);
}
