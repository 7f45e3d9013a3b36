import { calcPrice, type ModelPrice as GenaiModelPrice } from '@pydantic/genai-prices';
import type { ModelPrice, PriceSource, TokenRates } from './modelPrice';

/**
 * The bundled price data. `asOf` is the publication date of this package version on the npm registry;
 * a unit test fails when the installed version changes, so the date is updated with it.
 */
export const BUNDLED_PRICE_DATA = {
  packageName: '@pydantic/genai-prices',
  version: '0.1.8',
  asOf: '2026-09-23',
} as const;

export const BUNDLED_PRICE_SOURCE: PriceSource = {
  kind: 'bundled',
  label: `${BUNDLED_PRICE_DATA.packageName} ${BUNDLED_PRICE_DATA.version}, prices as of ${BUNDLED_PRICE_DATA.asOf}`,
  asOf: BUNDLED_PRICE_DATA.asOf,
};

type PriceValue = GenaiModelPrice[string];

/**
 * Looks a model up in the bundled OpenAI price data, resolving dated price changes for `at`.
 * Returns undefined when the data has no text-token price for it.
 */
export function bundledPrice(model: string, at: Date): ModelPrice | undefined {
  let result;
  try {
    result = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId: 'openai', timestamp: at });
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  const prices = result.model_price;
  const input = baseRate(prices.input_mtok);
  if (input === undefined) return undefined;
  const rates: TokenRates = {
    input,
    cachedInput: baseRate(prices.cache_read_mtok),
    output: baseRate(prices.output_mtok),
  };
  const threshold = firstTierStart(prices.input_mtok);
  const longContext =
    threshold === undefined
      ? undefined
      : {
          aboveInputTokens: threshold,
          rates: {
            input: tierRate(prices.input_mtok) ?? input,
            cachedInput: tierRate(prices.cache_read_mtok) ?? rates.cachedInput,
            output: tierRate(prices.output_mtok) ?? rates.output,
          },
        };
  return { model: result.model.id, rates, longContext, source: BUNDLED_PRICE_SOURCE };
}

function baseRate(value: PriceValue): number | undefined {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'base' in value) return value.base;
  return undefined;
}

function firstTierStart(value: PriceValue): number | undefined {
  if (value && typeof value === 'object' && 'tiers' in value) return value.tiers[0]?.start;
  return undefined;
}

function tierRate(value: PriceValue): number | undefined {
  if (value && typeof value === 'object' && 'tiers' in value) return value.tiers[0]?.price;
  return baseRate(value);
}
