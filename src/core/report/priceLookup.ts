import type { ModelPrice } from '../pricing/modelPrice';
import type { PriceOverrides } from '../pricing/priceOverride';
import { Pricing } from '../pricing/pricing';
import { dayKey, startOfDay } from './reportPeriods';

/**
 * The price of `model` as it was at `at` (the time of a ledger entry), or undefined when unknown. Savings are
 * counterfactual costs of past calls, so they use the price in force when the call was made.
 */
export type PriceLookup = (model: string, at: Date) => ModelPrice | undefined;

/** A {@link PriceLookup} over the user's overrides and the bundled dated prices, one `Pricing` per local day. */
export function datedPriceLookup(overrides: PriceOverrides = {}): PriceLookup {
  const byDay = new Map<string, Pricing>();
  return (model, at) => {
    const key = dayKey(at);
    let pricing = byDay.get(key);
    if (!pricing) {
      const day = startOfDay(at);
      pricing = new Pricing(overrides, () => day);
      byDay.set(key, pricing);
    }
    return pricing.priceFor(model);
  };
}
