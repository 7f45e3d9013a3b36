import { ENCODING_NAMES, type EncodingName } from '../tokens/encodingForModel';
import type { PriceOverride, PriceOverrides } from '../pricing/priceOverride';
import { MODEL_ENDPOINTS, type CapabilityTier, type ModelEndpoint } from '../models/modelCatalog';
import { isReasoningEffort, REASONING_EFFORTS } from '../models/reasoningEffort';
import { SETTING_DEFAULTS, type SettingKey } from './settingDefaults';

export interface RateLimitSetting {
  readonly rpm?: number;
  readonly tpm?: number;
  readonly concurrency?: number;
}

/** All settings, typed and validated. Built by `parseSettings` from raw values (VS Code configuration or CLI flags). */
export interface PromptMeterSettings {
  readonly defaultModel: string;
  readonly promptFolders: readonly string[];
  readonly pricingOverrides: PriceOverrides;
  readonly maxFileBytes: number;
  readonly hintsEnabled: boolean;
  readonly codeLensEnabled: boolean;
  readonly baseUrl: string;
  /** `default` plus optional per-model entries. */
  readonly rateLimits: Readonly<Record<string, RateLimitSetting>>;
  /** Keep the limits in Redis (when `cacheRedisUrl` is set), shared by every process on the same account. */
  readonly rateLimitsShared: boolean;
  readonly requestTimeoutMs: number;
  readonly cacheEnabled: boolean;
  readonly cacheMemoryBytes: number;
  /** Empty when Redis is not used. */
  readonly cacheRedisUrl: string;
  /** Monthly spending budget in USD; 0 means no budget. Warning at 80%, runs refuse to start past 100%. */
  readonly budgetMonthlyUsd: number;
  /** Budget of one batch run in USD; 0 means no budget. */
  readonly budgetPerRunUsd: number;
  /** Reuse answers of similar questions (embeddings) in runs; groups are always shown for review. */
  readonly semanticDedupe: boolean;
  /** Cosine similarity at or above which two questions count as the same (0.5–1). */
  readonly semanticDedupeThreshold: number;
  /** Runs with at least this many calls suggest the Batch API (50% price, answers within 24 h). */
  readonly batchApiThreshold: number;
}

export interface ParsedSettings {
  readonly settings: PromptMeterSettings;
  /** One sentence per invalid value: what was wrong and that the default is used instead. */
  readonly problems: readonly string[];
}

/** Validates raw setting values (keyed without `promptmeter.`); invalid values fall back to defaults with a problem. */
export function parseSettings(raw: Readonly<Partial<Record<SettingKey, unknown>>>): ParsedSettings {
  const problems: string[] = [];
  raw = withoutNestedShared(raw);
  const value = <K extends SettingKey>(
    key: K,
    valid: (candidate: unknown) => boolean,
  ): (typeof SETTING_DEFAULTS)[K] => {
    const candidate = raw[key];
    if (candidate === undefined || candidate === null) return SETTING_DEFAULTS[key];
    if (valid(candidate)) return candidate as (typeof SETTING_DEFAULTS)[K];
    problems.push(
      `promptmeter.${key}: ${JSON.stringify(candidate)} is not valid; using the default ${JSON.stringify(SETTING_DEFAULTS[key])}.`,
    );
    return SETTING_DEFAULTS[key];
  };
  const isText = (candidate: unknown) => typeof candidate === 'string' && candidate.trim() !== '';
  const isPositive = (candidate: unknown) =>
    typeof candidate === 'number' && Number.isFinite(candidate) && candidate > 0;
  const isZeroOrMore = (candidate: unknown) =>
    typeof candidate === 'number' && Number.isFinite(candidate) && candidate >= 0;
  const isBoolean = (candidate: unknown) => typeof candidate === 'boolean';
  const isUrlOrEmpty = (candidate: unknown) => typeof candidate === 'string' && (candidate === '' || isUrl(candidate));

  return {
    settings: {
      defaultModel: String(value('defaultModel', isText)).trim(),
      promptFolders: value(
        'promptFolders',
        (candidate) => Array.isArray(candidate) && candidate.every((entry) => typeof entry === 'string'),
      ),
      pricingOverrides: parseOverrides(raw['pricing.overrides'], problems),
      maxFileBytes: Number(value('maxFileSizeMB', isPositive)) * 1024 * 1024,
      hintsEnabled: Boolean(value('hints.enabled', isBoolean)),
      codeLensEnabled: Boolean(value('codeLens.enabled', isBoolean)),
      baseUrl: String(value('baseUrl', (candidate) => typeof candidate === 'string' && isUrl(candidate))).replace(
        /\/+$/,
        '',
      ),
      rateLimits: value('rateLimits', isRateLimits) as Readonly<Record<string, RateLimitSetting>>,
      rateLimitsShared: Boolean(value('rateLimits.shared', isBoolean)),
      requestTimeoutMs: Number(value('requestTimeoutSeconds', isPositive)) * 1000,
      cacheEnabled: Boolean(value('cache.enabled', isBoolean)),
      cacheMemoryBytes: Number(value('cache.memoryMB', isPositive)) * 1024 * 1024,
      cacheRedisUrl: String(value('cache.redisUrl', isUrlOrEmpty)),
      budgetMonthlyUsd: Number(value('budget.monthly', isZeroOrMore)),
      budgetPerRunUsd: Number(value('budget.perRun', isZeroOrMore)),
      semanticDedupe: Boolean(value('semanticDedupe', isBoolean)),
      semanticDedupeThreshold: Number(
        value(
          'semanticDedupeThreshold',
          (candidate) => typeof candidate === 'number' && candidate >= 0.5 && candidate <= 1,
        ),
      ),
      batchApiThreshold: Number(value('batchApi.threshold', isPositive)),
    },
    problems,
  };
}

function isUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (
      url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'redis:' || url.protocol === 'rediss:'
    );
  } catch {
    return false;
  }
}

/**
 * VS Code nests `promptmeter.rateLimits.shared` inside the `promptmeter.rateLimits` object it returns; it is
 * its own setting, not a model's limits.
 */
function withoutNestedShared(
  raw: Readonly<Partial<Record<SettingKey, unknown>>>,
): Readonly<Partial<Record<SettingKey, unknown>>> {
  const limits = raw.rateLimits;
  if (!limits || typeof limits !== 'object' || Array.isArray(limits) || !('shared' in limits)) return raw;
  const { shared, ...models } = limits as Record<string, unknown>;
  return { ...raw, rateLimits: models, 'rateLimits.shared': raw['rateLimits.shared'] ?? shared };
}

function isRateLimits(candidate: unknown): boolean {
  if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate)) return false;
  return Object.values(candidate).every((entry) => {
    if (!entry || typeof entry !== 'object') return false;
    return Object.entries(entry).every(
      ([key, number]) => ['rpm', 'tpm', 'concurrency'].includes(key) && typeof number === 'number' && number > 0,
    );
  });
}

const OVERRIDE_NUMBERS = ['input', 'cachedInput', 'output', 'contextWindow', 'maxOutput'] as const;

function parseOverrides(raw: unknown, problems: string[]): PriceOverrides {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('promptmeter.pricing.overrides must be an object of model name → prices; ignoring it.');
    return {};
  }
  const overrides: Record<string, PriceOverride> = {};
  for (const [model, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(
        `promptmeter.pricing.overrides["${model}"] must be an object like {"input": 0.15, "output": 0.6}; ignoring it.`,
      );
      continue;
    }
    const record = entry as Record<string, unknown>;
    const override: { -readonly [K in keyof PriceOverride]: PriceOverride[K] } = {};
    for (const key of OVERRIDE_NUMBERS) {
      const number = record[key];
      if (number === undefined) continue;
      if (typeof number === 'number' && Number.isFinite(number) && number >= 0) override[key] = number;
      else problems.push(`promptmeter.pricing.overrides["${model}"].${key} must be a number ≥ 0; ignoring it.`);
    }
    if (record.encoding !== undefined) {
      if (ENCODING_NAMES.includes(record.encoding as EncodingName)) override.encoding = record.encoding as EncodingName;
      else
        problems.push(
          `promptmeter.pricing.overrides["${model}"].encoding must be one of ${ENCODING_NAMES.join(', ')}; ignoring it.`,
        );
    }
    if (record.tier !== undefined) {
      if ([1, 2, 3, 4, 5].includes(record.tier as number)) override.tier = record.tier as CapabilityTier;
      else problems.push(`promptmeter.pricing.overrides["${model}"].tier must be 1–5; ignoring it.`);
    }
    readCapabilities(record, override, (key, expected) =>
      problems.push(`promptmeter.pricing.overrides["${model}"].${key} must be ${expected}; ignoring it.`),
    );
    overrides[model] = override;
  }
  return overrides;
}

const OVERRIDE_FLAGS = [
  'reasoning',
  'samplingWithEffortNone',
  'structuredOutputs',
  'verbosity',
  'flexProcessing',
] as const;

/** The model facts an override may set besides prices and limits (see PriceOverride). */
function readCapabilities(
  record: Record<string, unknown>,
  override: { -readonly [K in keyof PriceOverride]: PriceOverride[K] },
  problem: (key: string, expected: string) => void,
): void {
  for (const key of OVERRIDE_FLAGS) {
    if (record[key] === undefined) continue;
    if (typeof record[key] === 'boolean') override[key] = record[key];
    else problem(key, 'true or false');
  }
  if (record.reasoningEfforts !== undefined) {
    const efforts = record.reasoningEfforts;
    if (Array.isArray(efforts) && efforts.every(isReasoningEffort)) override.reasoningEfforts = efforts;
    else problem('reasoningEfforts', `a list of ${REASONING_EFFORTS.join(', ')}`);
  }
  if (record.defaultReasoningEffort !== undefined) {
    if (isReasoningEffort(record.defaultReasoningEffort))
      override.defaultReasoningEffort = record.defaultReasoningEffort;
    else problem('defaultReasoningEffort', `one of ${REASONING_EFFORTS.join(', ')}`);
  }
  if (record.endpoints !== undefined) {
    const endpoints = record.endpoints;
    if (Array.isArray(endpoints) && endpoints.every((endpoint) => MODEL_ENDPOINTS.includes(endpoint as ModelEndpoint)))
      override.endpoints = endpoints as ModelEndpoint[];
    else problem('endpoints', `a list of ${MODEL_ENDPOINTS.join(', ')}`);
  }
}
