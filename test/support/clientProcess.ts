/**
 * A stand-alone Prompt Meter client in its own process, for tests and benches of what processes share
 * (rate limits, in-flight calls) through Redis or a disk cache. Started by `startClientProcess`
 * (clientProcesses.ts) with one JSON argument ({@link ClientProcessConfig}); prints `{"ready":true}`, waits for
 * a line on stdin, sends every prompt at once, prints one {@link ClientProcessReport} line and exits.
 */
import { createInterface } from 'node:readline';
import { PromptMeterClient } from '../../src/core/client/promptMeterClient';
import type { ClientProcessConfig, ClientProcessReport } from './clientProcesses';

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ClientProcessConfig;
  const warnings: string[] = [];
  const client = new PromptMeterClient({
    apiKey: config.apiKey,
    baseUrl: config.url,
    limits: {
      default: { requestsPerMinute: config.rpm, tokensPerMinute: config.tpm, concurrency: config.concurrency ?? 32 },
    },
    cache:
      config.cacheDirectory || config.redisUrl
        ? {
            ...(config.cacheDirectory ? { directory: config.cacheDirectory } : {}),
            ...(config.redisUrl ? { redisUrl: config.redisUrl, redisKeyPrefix: config.redisKeyPrefix } : {}),
          }
        : false,
    ...(config.leaseMs ? { inflightLeaseMs: config.leaseMs } : {}),
    diskLocks: true,
    ...(config.sharedRateLimits === false ? { sharedRateLimits: false } : {}),
    priceUsage: () => ({ costUsd: 0, priceSource: 'test' }),
    logger: { warn: (message) => warnings.push(message) },
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  const startedAt = Date.now();
  const sources: Record<string, number> = {};
  const errors: string[] = [];
  let finishedAt = startedAt;
  await Promise.all(
    config.prompts.map(async (prompt) => {
      try {
        const result = await client.chat({
          model: config.model,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: config.maxTokens,
        });
        sources[result.cache] = (sources[result.cache] ?? 0) + 1;
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
      finishedAt = Math.max(finishedAt, Date.now());
    }),
  );
  const counters = client.counters();
  await client.close();
  const report: ClientProcessReport = {
    startedAt,
    finishedAt,
    ok: config.prompts.length - errors.length,
    errors,
    sources,
    counters,
    warnings,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
