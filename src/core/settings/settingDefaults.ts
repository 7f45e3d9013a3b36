import { DEFAULT_CHAT_MODEL } from '../models/defaultModels';

/**
 * Every `promptmeter.*` setting with its default, keyed without the prefix. package.json
 * `contributes.configuration` must match this table (a unit test keeps them in sync).
 */
export const SETTING_DEFAULTS = {
  defaultModel: DEFAULT_CHAT_MODEL,
  promptFolders: ['**/prompts'],
  'pricing.overrides': {},
  maxFileSizeMB: 2,
  'hints.enabled': true,
  'codeLens.enabled': true,
  baseUrl: 'https://api.openai.com/v1',
  rateLimits: { default: { rpm: 500, tpm: 200000, concurrency: 8 } },
  'rateLimits.shared': true,
  requestTimeoutSeconds: 120,
  'cache.enabled': true,
  'cache.memoryMB': 64,
  'cache.redisUrl': '',
  'budget.monthly': 0,
  'budget.perRun': 0,
  semanticDedupe: false,
  semanticDedupeThreshold: 0.92,
  'batchApi.threshold': 500,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
