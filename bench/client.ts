/**
 * bench/client — the one client (throttle + retry + cache) against two common peers, in one run, on the local
 * OpenAI-compatible test server started as a child process (its own event loop, like a real API):
 *   ours      PromptMeterClient with the account's limits configured (rpm, tpm, concurrency 16)
 *   learned   PromptMeterClient from its fallback limits, learning the real ones from the x-ratelimit headers
 *   sdk       Promise.all over the OpenAI SDK with its default retries (maxRetries 2)
 *   plimit    p-limit(10) + p-retry (5 retries, randomized exponential backoff), SDK retries off
 * Workload: 200 distinct prompts, max_tokens 128, server RPM 600 and TPM 100 000 (burst: 1 s of each, the
 * server's default), latency 190–210 ms. Then the same 200 through a new PromptMeterClient with the same disk
 * cache directory and an empty memory tier: it must make 0 HTTP calls.
 *
 * Theoretical bound (the fastest any client can finish without a 429), for each bucket b with total weight W_b
 * (requests: 200; tokens: Σ prompt tokens as the server counts them + 128 per request), refill r_b per ms
 * (limit / 60 000) and burst B_b (limit × burstSeconds / 60): T_b = max(0, W_b − B_b) / r_b. The binding bucket
 * (the min over buckets of throughput) gives bound = max_b T_b + one mean latency (the last answer's trip).
 * fractionOfBound = bound / wall time (1 = as fast as possible).
 * Prints one JSON object, then a one-line summary.  Run: node esbuild.mjs && node out/bench/client.js
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { PromptMeterClient } from '../src/core/client/promptMeterClient';
import { fakeApiKey } from '../test/support/fakeKeys';
import {
  ACCOUNT_SERVER,
  BURST_SECONDS,
  LATENCY_JITTER_MS,
  LATENCY_MS,
  MAX_TOKENS,
  MODEL,
  PROMPTS,
  RPM,
  TPM,
  prompts,
} from './support/accountWorkload';
import { startServerProcess, type ServerProcess } from './support/testServerProcess';
import { throughputBound } from './support/throughputBound';
import type { ThroughputBound as Bound } from './support/throughputBound';

const API_KEY = fakeApiKey('bench-not-a-real-key');
const request = (text: string) => ({
  model: MODEL,
  messages: [{ role: 'user' as const, content: text }],
  max_tokens: MAX_TOKENS,
});

interface Run {
  name: string;
  wallMs: number;
  /** bound / wall time, only for runs that answered every prompt. */
  fractionOfBound?: number;
  httpRequests: number;
  rateLimited429: number;
  failed: number;
  duplicateCompletions: number;
  completionsServed: number;
  cacheTiers?: Record<string, number>;
}

async function measure(name: string, server: ServerProcess, body: () => Promise<number>): Promise<Run> {
  await server.reset();
  await new Promise((resolve) => setTimeout(resolve, 1_100)); // let the buckets sit full, as after a pause
  await server.reset();
  const started = performance.now();
  const failed = await body();
  const wallMs = performance.now() - started;
  const stats = await server.stats();
  return {
    name,
    wallMs: Math.round(wallMs),
    httpRequests: stats.requests,
    rateLimited429: stats.rateLimited,
    failed,
    duplicateCompletions: stats.duplicateCompletions,
    completionsServed: stats.completionsServed,
  };
}

async function settledFailures(tasks: Array<Promise<unknown>>): Promise<number> {
  return (await Promise.allSettled(tasks)).filter((result) => result.status === 'rejected').length;
}

function ourClient(url: string, directory: string, configured: boolean): PromptMeterClient {
  return new PromptMeterClient({
    apiKey: API_KEY,
    baseUrl: url,
    cache: { directory },
    priceUsage: () => ({ costUsd: null, priceSource: 'bench (unpriced)' }),
    ...(configured ? { limits: { default: { requestsPerMinute: RPM, tokensPerMinute: TPM, concurrency: 16 } } } : {}),
  });
}

async function main(): Promise<void> {
  const server = await startServerProcess(ACCOUNT_SERVER);
  const scratch = await mkdtemp(path.join(tmpdir(), 'promptmeter-bench-client-'));
  const { default: pLimit } = await import('p-limit');
  const { default: pRetry } = await import('p-retry');
  const runs: Run[] = [];
  try {
    const cacheDirectory = path.join(scratch, 'cache');
    const ours = ourClient(server.url, cacheDirectory, true);
    runs.push(await measure('ours', server, () => settledFailures(prompts.map((text) => ours.chat(request(text))))));
    await ours.close();
    const bound = await boundFrom(server);

    const learned = ourClient(server.url, path.join(scratch, 'cache-learned'), false);
    runs.push(
      await measure('learned', server, () => settledFailures(prompts.map((text) => learned.chat(request(text))))),
    );
    await learned.close();

    const sdk = new OpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 2 });
    runs.push(
      await measure('sdk', server, () =>
        settledFailures(prompts.map((text) => sdk.chat.completions.create(request(text)))),
      ),
    );

    const bare = new OpenAI({ apiKey: API_KEY, baseURL: server.url, maxRetries: 0 });
    const limit = pLimit(10);
    runs.push(
      await measure('plimit', server, () =>
        settledFailures(
          prompts.map((text) =>
            limit(() => pRetry(() => bare.chat.completions.create(request(text)), { retries: 5, randomize: true })),
          ),
        ),
      ),
    );

    const second = ourClient(server.url, cacheDirectory, true);
    const tiers: Record<string, number> = {};
    const rerun = await measure('ours-second-run', server, () =>
      settledFailures(
        prompts.map(async (text) => {
          const result = await second.chat(request(text));
          tiers[result.cache] = (tiers[result.cache] ?? 0) + 1;
        }),
      ),
    );
    await second.close();
    rerun.cacheTiers = tiers;
    runs.push(rerun);

    // A run that gave up on some prompts finished early by failing: its speed is not comparable, so no fraction.
    for (const run of runs) {
      if (run.name !== 'ours-second-run' && run.failed === 0)
        run.fractionOfBound = round(bound.boundMs / run.wallMs, 3);
    }
    report(bound, runs);
  } finally {
    server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The bound from the first run's server stats: it answered every prompt exactly once, so its token total is exact. */
async function boundFrom(server: ServerProcess): Promise<Bound> {
  const stats = await server.stats();
  const totalTokens = stats.promptTokens + MAX_TOKENS * PROMPTS;
  return throughputBound({
    requests: PROMPTS,
    totalTokens,
    rpm: RPM,
    tpm: TPM,
    burstSeconds: BURST_SECONDS,
    meanLatencyMs: LATENCY_MS + LATENCY_JITTER_MS / 2,
  });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function report(bound: Bound, runs: Run[]): void {
  const ours = runs.find((run) => run.name === 'ours');
  const second = runs.find((run) => run.name === 'ours-second-run');
  const targets = {
    fractionOfBoundAtLeast95: (ours?.fractionOfBound ?? 0) >= 0.95,
    rateLimitedAtMost1Percent: (ours?.rateLimited429 ?? Infinity) <= PROMPTS * 0.01,
    noFailures: ours?.failed === 0,
    noDuplicates: ours?.duplicateCompletions === 0,
    secondRunNoHttp: second?.httpRequests === 0,
  };
  const workload = {
    prompts: PROMPTS,
    maxTokens: MAX_TOKENS,
    rpm: RPM,
    tpm: TPM,
    burstSeconds: BURST_SECONDS,
    latencyMs: [LATENCY_MS, LATENCY_MS + LATENCY_JITTER_MS],
  };
  console.log(JSON.stringify({ bench: 'client', workload, bound, runs, targets }, null, 2));
  const cells = runs.map(
    (run) =>
      `${run.name} ${(run.wallMs / 1000).toFixed(1)}s${run.fractionOfBound === undefined ? '' : ` ${Math.round(run.fractionOfBound * 100)}% of bound`} 429=${run.rateLimited429} failed=${run.failed} dup=${run.duplicateCompletions} http=${run.httpRequests}`,
  );
  const met = Object.values(targets).every(Boolean);
  console.log(
    `client bench: bound ${(bound.boundMs / 1000).toFixed(1)}s | ${cells.join(' | ')} | targets ${met ? 'met' : 'MISSED'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
