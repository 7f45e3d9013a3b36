import path from 'node:path';
import { createFileDocumentReader } from '../core/chunking/fileDocumentReader';
import type { DocumentReader } from '../core/chunking/promptMapReduce';
import { createPromptMeterClient } from '../core/client/createClient';
import type { PromptMeterClient } from '../core/client/promptMeterClient';
import { Estimator } from '../core/estimate/estimator';
import { Ledger } from '../core/ledger/ledger';
import { SegmentedLedger } from '../core/ledger/segmentedLedger';
import { WorkspaceLayout } from '../core/workspace/workspaceLayout';
import { Pricing } from '../core/pricing/pricing';
import type { PromptMeterSettings } from '../core/settings/settings';
import { Tokenizers } from '../core/tokens/tokenizers';
import { redisUrlFrom, UsageError } from './cliArguments';
import type { CommandIo } from './estimateCommand';

/** The flags every command that calls the API shares (`run`, `compare`). */
export const CLIENT_FLAGS = {
  'base-url': 'string',
  concurrency: 'number',
  rpm: 'number',
  tpm: 'number',
  cache: 'boolean',
  'cache-dir': 'string',
  'redis-url': 'string',
  ledger: 'string',
} as const;

/** What a command that calls the API works with: settings with the flags applied, the one client, its ledger. */
export interface CliClient {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly settings: PromptMeterSettings;
  /** Where `.promptmeter/...` files live for this workspace (runs, ledger, cache, comparisons). */
  readonly layout: WorkspaceLayout;
  /** `layout.folder` (kept for callers that read it). */
  readonly promptMeterFolder: string;
  readonly tokenizers: Tokenizers;
  readonly readDocument: DocumentReader;
  readonly estimator: Estimator;
  readonly pricing: Pricing;
  /** Limits for planning (flags over the `default` setting). */
  readonly limits: { readonly requestsPerMinute: number; readonly tokensPerMinute: number };
  readonly ledger: Ledger | SegmentedLedger;
  /** The ledger's file or folder (for budget checks and reports). */
  readonly ledgerPath: string;
  readonly client: PromptMeterClient;
  /** Closes the client (Redis) and frees the tokenizers. */
  close(): Promise<void>;
}

/**
 * Builds the client set-up of a CLI command from its flags: the key from OPENAI_API_KEY only (never settings or
 * files), `--base-url`, `--redis-url` (or PROMPTMETER_REDIS_URL), limits, the cache under `.promptmeter/cache` (or
 * `--cache-dir`) and the ledger folder `.promptmeter/ledger/` (or `--ledger`).
 * @throws UsageError when OPENAI_API_KEY is not set
 */
export function createCliClient(
  flags: Readonly<Record<string, string | number | boolean>>,
  settings: PromptMeterSettings,
  io: CommandIo,
): CliClient {
  const apiKey = (io.env ?? process.env).OPENAI_API_KEY?.trim();
  if (!apiKey)
    throw new UsageError(
      'OPENAI_API_KEY is not set. Export your API key in the environment (it is never read from settings or files).',
    );
  const workspace = io.cwd;
  const baseUrl = typeof flags['base-url'] === 'string' ? flags['base-url'].replace(/\/+$/, '') : settings.baseUrl;
  const cacheRedisUrl = redisUrlFrom(flags['redis-url'], io.env ?? process.env, settings.cacheRedisUrl);
  const effective: PromptMeterSettings = { ...settings, baseUrl, cacheRedisUrl };
  const layout = new WorkspaceLayout(workspace);
  const promptMeterFolder = layout.folder;
  const tokenizers = new Tokenizers(io.assetDirectory);
  const readDocument = createFileDocumentReader(workspace);
  const estimator = new Estimator(tokenizers, effective, undefined, readDocument);
  const pricing = new Pricing(effective.pricingOverrides);
  const defaultLimits = effective.rateLimits.default ?? {};
  const limits = {
    requestsPerMinute: typeof flags.rpm === 'number' ? flags.rpm : (defaultLimits.rpm ?? 500),
    tokensPerMinute: typeof flags.tpm === 'number' ? flags.tpm : (defaultLimits.tpm ?? 200_000),
  };
  const ledgerPath = typeof flags.ledger === 'string' ? path.resolve(workspace, flags.ledger) : layout.ledger;
  // `--ledger F.jsonl` keeps one file; otherwise the ledger is a folder of month segments.
  const ledger =
    typeof flags.ledger === 'string' && ledgerPath.endsWith('.jsonl')
      ? new Ledger(ledgerPath)
      : new SegmentedLedger(ledgerPath);
  const client = createPromptMeterClient(effective, {
    apiKey,
    pricing,
    counterFor: (encoding) => tokenizers.peek(encoding),
    cacheDirectory: typeof flags['cache-dir'] === 'string' ? path.resolve(workspace, flags['cache-dir']) : layout.cache,
    cacheEnabled: flags.cache !== false && effective.cacheEnabled,
    ledger,
    logger: { warn: (message) => io.stderr(`promptmeter: ${message}\n`) },
    limitsOverride: {
      ...(typeof flags.rpm === 'number' ? { requestsPerMinute: flags.rpm } : {}),
      ...(typeof flags.tpm === 'number' ? { tokensPerMinute: flags.tpm } : {}),
      ...(typeof flags.concurrency === 'number' ? { concurrency: flags.concurrency } : {}),
    },
  });
  return {
    apiKey,
    baseUrl,
    settings: effective,
    layout,
    promptMeterFolder,
    tokenizers,
    readDocument,
    estimator,
    pricing,
    limits,
    ledger,
    ledgerPath,
    client,
    close: async () => {
      await client.close();
      tokenizers.dispose();
    },
  };
}
