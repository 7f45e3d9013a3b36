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
export type PriceUsage = (model: string, usage: LedgerUsage, options: { batchApi: boolean }) => PricedUsage;
