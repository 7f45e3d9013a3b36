import { BATCH_API_DISCOUNT, type ModelPrice, type TokenRates } from './modelPrice';

const PER_MILLION = 1_000_000;

/** Estimated cost of one prompt in USD. */
export interface CostEstimate {
  /** Input tokens at the standard input rate. */
  readonly input: number;
  /** The same input if every token were served from the provider's prompt cache. */
  readonly cachedInput: number;
  /** Upper bound of the output: the output bound × the output rate. */
  readonly outputMax: number;
  /** input + outputMax. */
  readonly total: number;
  /** `total` at Batch API prices (50%). */
  readonly batchTotal: number;
  readonly currency: 'USD';
}

/** The rates that apply to a request with this many input tokens (long-context tier above its threshold). */
export function ratesFor(price: ModelPrice, inputTokens: number): TokenRates {
  return price.longContext && inputTokens > price.longContext.aboveInputTokens ? price.longContext.rates : price.rates;
}

export function estimateCost(price: ModelPrice, inputTokens: number, outputTokens: number): CostEstimate {
  const rates = ratesFor(price, inputTokens);
  const input = (inputTokens * rates.input) / PER_MILLION;
  const cachedInput = (inputTokens * (rates.cachedInput ?? rates.input)) / PER_MILLION;
  const outputMax = (outputTokens * (rates.output ?? 0)) / PER_MILLION;
  const total = input + outputMax;
  return { input, cachedInput, outputMax, total, batchTotal: total * BATCH_API_DISCOUNT, currency: 'USD' };
}

/** Token usage as the API reports it (reasoning tokens are part of completion tokens). */
export interface BilledUsage {
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
}

/** What a call with this usage costs: uncached input, cached input at the cached rate, output; Batch API halves it. */
export function costOfUsage(price: ModelPrice, usage: BilledUsage, options: { batchApi?: boolean } = {}): number {
  const rates = ratesFor(price, usage.promptTokens);
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const cost =
    ((usage.promptTokens - cached) * rates.input +
      cached * (rates.cachedInput ?? rates.input) +
      usage.completionTokens * (rates.output ?? 0)) /
    PER_MILLION;
  return options.batchApi ? cost * BATCH_API_DISCOUNT : cost;
}
