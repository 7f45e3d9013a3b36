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

/**
 * A {@link PriceLookup} over the user's overrides and the bundled dated prices, one `Pricing` per local day, each
 * model's price looked up once per day (a ledger has many calls per model and day).
 */
export function datedPriceLookup(overrides: PriceOverrides = {}): PriceLookup {
  const byDay = new Map<string, { pricing: Pricing; prices: Map<string, ModelPrice | undefined> }>();
  const key = createHash('sha256')
    .update(
      JSON.stringify([BUNDLED_PRICE_DATA.packageName, BUNDLED_PRICE_DATA.version, BUNDLED_PRICE_DATA.asOf, overrides]),
    )
    .digest('hex');
  const lookup = (model: string, at: Date): ModelPrice | undefined => {
    const dayOf = dayKey(at);
    let day = byDay.get(dayOf);
    if (!day) {
      const start = startOfDay(at);
      byDay.set(dayOf, (day = { pricing: new Pricing(overrides, () => start), prices: new Map() }));
    }
    if (day.prices.has(model)) return day.prices.get(model);
    const price = day.pricing.priceFor(model);
    day.prices.set(model, price);
    return price;
  };
  return Object.assign(lookup, { key });
}
