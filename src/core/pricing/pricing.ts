import { bundledPrice } from './bundledPrices';
import type { ModelPrice } from './modelPrice';
import { findOverride, type PriceOverrides } from './priceOverride';

const OVERRIDE_SOURCE = { kind: 'override', label: 'your override in promptmeter.pricing.overrides' } as const;

/**
 * Prices for models: user overrides first, then the bundled dated data. A model with neither has no price
 * (callers show "price unknown — add an override", never $0).
 */
export class Pricing {
  private readonly cache = new Map<string, ModelPrice | undefined>();

  constructor(
    private readonly overrides: PriceOverrides = {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  priceFor(model: string): ModelPrice | undefined {
    if (this.cache.has(model)) return this.cache.get(model);
    const price = this.lookUp(model);
    this.cache.set(model, price);
    return price;
  }

  private lookUp(model: string): ModelPrice | undefined {
    const override = findOverride(this.overrides, model);
    if (override?.input !== undefined) {
      return {
        model,
        rates: { input: override.input, cachedInput: override.cachedInput, output: override.output },
        source: OVERRIDE_SOURCE,
      };
    }
    const bundled = bundledPrice(model, this.now());
    if (!bundled || !override) return bundled;
    // A partial override (e.g. only `output`) adjusts the bundled price.
    return {
      ...bundled,
      rates: {
        input: bundled.rates.input,
        cachedInput: override.cachedInput ?? bundled.rates.cachedInput,
        output: override.output ?? bundled.rates.output,
      },
      source: OVERRIDE_SOURCE,
    };
  }
}
