import { resolveModel } from '../models/resolveModel';
import type { Pricing } from '../pricing/pricing';
import type { PromptMeterSettings } from '../settings/settings';
import { countChatTokens, type FramedMessage } from '../tokens/chatFraming';
import type { EncodingName } from '../tokens/encodingForModel';
import type { TokenCounter } from '../tokens/tokenCounter';
import type { LedgerWriter } from '../ledger/ledger';
import type { CacheLogger } from '../cache/cacheLogger';
import { PromptMeterClient } from './promptMeterClient';
import { estimatePromptTokensByCharacters, type ClientRequest } from './promptTokenEstimate';
import { priceUsageFrom } from './priceUsage';
import type { RateLimits } from './rateLimiter';

export interface ClientEnvironment {
  readonly apiKey: string;
  readonly pricing: Pricing;
  /** Loaded token counters (exact TPM weights); characters / 4 is used while a counter is not loaded. */
  readonly counterFor?: (encoding: EncodingName) => TokenCounter | undefined;
  /** Disk cache folder (VS Code: the extension's global storage; CLI: --cache-dir). */
  readonly cacheDirectory?: string;
  readonly ledger?: LedgerWriter;
  readonly logger?: CacheLogger;
  /** Overrides of settings from CLI flags. */
  readonly limitsOverride?: Partial<RateLimits>;
  readonly cacheEnabled?: boolean;
}

/** Builds the one client from the typed settings: limits, timeout, cache tiers, ledger, prices and token weights. */
export function createPromptMeterClient(
  settings: PromptMeterSettings,
  environment: ClientEnvironment,
): PromptMeterClient {
  const models: Record<string, Partial<RateLimits>> = {};
  for (const [model, limit] of Object.entries(settings.rateLimits)) {
    if (model !== 'default') models[model] = toRateLimits(limit);
  }
  const cacheEnabled = environment.cacheEnabled ?? settings.cacheEnabled;
  const priceUsage = priceUsageFrom(environment.pricing);
  return new PromptMeterClient({
    apiKey: environment.apiKey,
    baseUrl: settings.baseUrl,
    apiKeyHeader: apiKeyHeaderFor(settings.baseUrl),
    limits: { default: { ...toRateLimits(settings.rateLimits.default ?? {}), ...environment.limitsOverride }, models },
    timeoutMs: settings.requestTimeoutMs,
    cache: cacheEnabled
      ? {
          memoryBytes: settings.cacheMemoryBytes,
          directory: environment.cacheDirectory,
          redisUrl: settings.cacheRedisUrl || undefined,
        }
      : false,
    ledger: environment.ledger,
    ...(settings.cacheRedisUrl ? { redisUrl: settings.cacheRedisUrl } : {}),
    sharedRateLimits: settings.rateLimitsShared,
    diskLocks: true,
    priceUsage,
    estimatePromptTokens: (request) =>
      exactPromptTokens(request, settings, environment) ?? estimatePromptTokensByCharacters(request),
    logger: environment.logger,
  });
}

function toRateLimits(limit: { rpm?: number; tpm?: number; concurrency?: number }): Partial<RateLimits> {
  const limits: Partial<RateLimits> = {};
  if (limit.rpm !== undefined) limits.requestsPerMinute = limit.rpm;
  if (limit.tpm !== undefined) limits.tokensPerMinute = limit.tpm;
  if (limit.concurrency !== undefined) limits.concurrency = limit.concurrency;
  return limits;
}

/** Exact prompt tokens with the model's tokenizer when it is loaded (chat framing included). */
function exactPromptTokens(
  request: ClientRequest,
  settings: PromptMeterSettings,
  environment: ClientEnvironment,
): number | undefined {
  const encoding = resolveModel(String(request.model), settings.pricingOverrides).encoding.encoding;
  const counter = environment.counterFor?.(encoding);
  if (!counter) return undefined;
  if ('messages' in request) {
    const messages: FramedMessage[] = request.messages.map((message) => ({
      role: message.role,
      content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''),
      ...('name' in message && typeof message.name === 'string' ? { name: message.name } : {}),
    }));
    return countChatTokens(counter, messages).total;
  }
  const input = request.input;
  if (typeof input === 'string') return counter.count(input);
  if (Array.isArray(input))
    return input.reduce<number>(
      (sum, item) => sum + (typeof item === 'string' ? counter.count(item) : Array.isArray(item) ? item.length : 1),
      0,
    );
  return undefined;
}

/** Azure OpenAI takes API keys in an `api-key` header; everything else (OpenAI, proxies, local servers) a bearer token. */
export function apiKeyHeaderFor(baseUrl: string): 'authorization' | 'api-key' {
  try {
    const host = new URL(baseUrl).hostname;
    return host.endsWith('.openai.azure.com') ||
      host.endsWith('.cognitiveservices.azure.com') ||
      host.endsWith('.services.ai.azure.com')
      ? 'api-key'
      : 'authorization';
  } catch {
    return 'authorization';
  }
}
