/** USD per one million tokens. */
export interface TokenRates {
  readonly input: number;
  /** Rate for input tokens served from the provider's prompt cache; undefined when the model has none. */
  readonly cachedInput?: number;
  /** Undefined for models that produce no text (embeddings). */
  readonly output?: number;
}

export interface PriceSource {
  readonly kind: 'bundled' | 'override';
  /** Human-readable: "@pydantic/genai-prices 0.1.8, data as of 2026-09-23" or "override in promptmeter.pricing.overrides". */
  readonly label: string;
  /** ISO date the prices were published, when known. */
  readonly asOf?: string;
}

export interface ModelPrice {
  readonly model: string;
  readonly rates: TokenRates;
  /** Higher rates when the prompt has more than `aboveInputTokens` input tokens (long-context tier). */
  readonly longContext?: { readonly aboveInputTokens: number; readonly rates: TokenRates };
  readonly source: PriceSource;
}

/** The Batch API bills 50% of the standard price for the same usage. */
export const BATCH_API_DISCOUNT = 0.5;

/**
 * The price of a request sent with `service_tier: "flex"`: OpenAI's flex guide says "Tokens are priced at Batch API
 * rates, with additional discounts from prompt caching" (developers.openai.com/api/docs/guides/flex-processing).
 */
export function atFlexRates(price: ModelPrice): ModelPrice {
  const scale = (rates: TokenRates): TokenRates => ({
    input: rates.input * BATCH_API_DISCOUNT,
    ...(rates.cachedInput === undefined ? {} : { cachedInput: rates.cachedInput * BATCH_API_DISCOUNT }),
    ...(rates.output === undefined ? {} : { output: rates.output * BATCH_API_DISCOUNT }),
  });
  return {
    ...price,
    rates: scale(price.rates),
    ...(price.longContext
      ? { longContext: { aboveInputTokens: price.longContext.aboveInputTokens, rates: scale(price.longContext.rates) } }
      : {}),
    source: { ...price.source, label: `${price.source.label}; Flex processing (service_tier flex) at Batch API rates` },
  };
}
