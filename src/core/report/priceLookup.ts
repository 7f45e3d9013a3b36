import { createHash } from 'node:crypto';
import { BUNDLED_PRICE_DATA } from '../pricing/bundledPrices';
import type { ModelPrice } from '../pricing/modelPrice';
import type { PriceOverrides } from '../pricing/priceOverride';
import { Pricing } from '../pricing/pricing';
import { dayKey, startOfDay } from './reportPeriods';

/**
 * The price of `model` as it was at `at` (the time of a ledger entry), or undefined when unknown. Savings are
 * counterfactual costs of past calls, so they use the price in force when the call was made. `key`, when set,
 * names the prices it gives: ledger rollups (which hold priced savings) are kept on disk only under a key.
 */
export type PriceLookup = ((model: string, at: Date) => ModelPrice | undefined) & { readonly key?: string };

/** A {@link PriceLookup} over the user's overrides and the bundled dated prices, one `Pricing` per local day. */
export function datedPriceLookup(overrides: PriceOverrides = {}): PriceLookup {
  const byDay = new Map<string, Pricing>();
  const key = createHash('sha256').update(JSON.stringify([BUNDLED_PRICE_DATA.packageName, BUNDLED_PRICE_DATA.version, BUNDLED_PRICE_DATA.asOf, overrides])).digest('hex');
  const lookup = (model: string, at: Date): ModelPrice | undefined => {
    const key = dayKey(at);
    let pricing = byDay.get(key);
    if (!pricing) {
      const day = startOfDay(at);
      pricing = new Pricing(overrides, () => day);
      byDay.set(key, pricing);
    }
    return pricing.priceFor(model);
  };
  return Object.assign(lookup, { key });
}
