/**
 * bench/shared — many processes on one account: P = 1, 2, 4, 8 separate client processes (test/support/
 * clientProcess.ts, each its own node process) split 200 distinct prompts against one test server process with
 * one account's limits (RPM 600, TPM 100 000, 1 s burst, latency 190–210 ms), each told those limits:
 *   redis   a shared Redis (real redis-server): limits and in-flight calls shared
 *   local   no Redis: every process has the whole account's limits to itself (the peer: what happens today)
 * Then 2 processes that both run the same 200 prompts: redis, disk (one shared disk cache, lock files, limits per
 * process) and local; duplicates = completions the server answered for a request it had already answered.
 *
 * Bound (the fastest any set of clients can finish without a 429), for each bucket b with total weight W_b
 * (requests 200; tokens: Σ prompt tokens as the server counts them + 128 per request), refill r_b per ms and
 * burst B_b: T_b = max(0, W_b − B_b) / r_b; bound = max_b T_b + one mean latency. Wall time runs from the first
 * process's start to the last one's end (all processes are built and waiting before the start signal).
 * fractionOfBound = bound / wall time. Each case is stopped after 120 s (timedOut).
 * Prints one JSON object, then a one-line summary.  Run: node esbuild.mjs && node out/bench/shared.js [case names]
 * (names such as redis-p8 run only those cases; the bound then needs redis-p1 or local-p1 among them).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRedisServer } from '../test/support/redisServer';
import { startClientProcess } from '../test/support/clientProcesses';
import type { ClientProcess, ClientProcessConfig, ClientProcessReport } from '../test/support/clientProcesses';
import { fakeApiKey } from '../test/support/fakeKeys';
import { startServerProcess } from './support/testServerProcess';
import type { ServerProcess } from './support/testServerProcess';
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
import { throughputBound } from './support/throughputBound';
import type { ThroughputBound } from './support/throughputBound';

const CASE_TIMEOUT_MS = 120_000;

type Mode = 'redis' | 'local' | 'disk';

interface CaseResult {
  name: string;
  processes: number;
  mode: Mode;
  samePrompts: boolean;
  wallMs: number;
  fractionOfBound?: number;
  httpRequests: number;
  rateLimited429: number;
  rateLimitedShare: number;
  failed: number;
  completionsServed: number;
  duplicateCompletions: number;
  processesFailed: number;
  /** Warnings the processes logged (Redis outages), distinct texts. */
  warnings: string[];
  timedOut: boolean;
}

async function main(): Promise<void> {
  const server = await startServerProcess(ACCOUNT_SERVER);
  const redis = await startRedisServer();
  const scratch = await mkdtemp(path.join(tmpdir(), 'promptmeter-bench-shared-'));
  const results: CaseResult[] = [];
  let tokenTotal: number | undefined;
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  try {
    for (const processes of [1, 2, 4, 8]) {
      for (const mode of ['redis', 'local'] as const) {
        if (!wanted(`${mode}-p${processes}`)) continue;
        const result = await runCase(server, `${mode}-p${processes}`, processes, mode, false, redis.url, scratch);
        tokenTotal ??= result.promptTokens + MAX_TOKENS * PROMPTS;
        results.push(result.summary);
      }
    }
    for (const mode of ['redis', 'disk', 'local'] as const) {
      if (!wanted(`${mode}-same-p2`)) continue;
      results.push((await runCase(server, `${mode}-same-p2`, 2, mode, true, redis.url, scratch)).summary);
    }
  } finally {
    server.stop();
    await redis.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  const bound = throughputBound({
    requests: PROMPTS,
    totalTokens: tokenTotal ?? 0,
    rpm: RPM,
    tpm: TPM,
    burstSeconds: BURST_SECONDS,
    meanLatencyMs: LATENCY_MS + LATENCY_JITTER_MS / 2,
  });
  for (const result of results) {
    if (result.failed === 0 && !result.timedOut)
      result.fractionOfBound = Number((bound.boundMs / result.wallMs).toFixed(3));
  }
  report(bound, results);
}

async function runCase(
  server: ServerProcess,
  name: string,
  processes: number,
  mode: Mode,
  samePrompts: boolean,
  redisUrl: string,
  scratch: string,
): Promise<{ summary: CaseResult; promptTokens: number }> {
  const shares = Array.from({ length: processes }, (_, index) =>
    samePrompts ? [...prompts] : prompts.filter((_, position) => position % processes === index),
  );
  const sharedDisk = path.join(scratch, name, 'cache');
  const children: ClientProcess[] = await Promise.all(
    shares.map((share, index) => {
      const config: ClientProcessConfig = {
        url: server.url,
        apiKey: fakeApiKey('bench-shared-account'),
        model: MODEL,
        prompts: share,
        maxTokens: MAX_TOKENS,
        rpm: RPM,
        tpm: TPM,
        concurrency: 32,
        ...(mode === 'redis' ? { redisUrl, redisKeyPrefix: `bench:${name}:` } : {}),
        ...(mode === 'disk' ? { cacheDirectory: sharedDisk } : {}),
        ...(mode === 'local' ? { cacheDirectory: path.join(scratch, name, `own-${index}`) } : {}),
      };
      return startClientProcess(config);
    }),
  );
  await server.reset();
  for (const child of children) child.go();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timedOut'>(
    (resolve) => (timer = setTimeout(() => resolve('timedOut'), CASE_TIMEOUT_MS)),
  );
  const settled = await Promise.race([Promise.allSettled(children.map((child) => child.report)), timeout]);
  clearTimeout(timer);
  const timedOut = settled === 'timedOut';
  if (timedOut) for (const child of children) child.child.kill('SIGKILL');
  const reports = timedOut ? [] : settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stats = await server.stats();
  const failed =
    reports.reduce((sum, entry) => sum + entry.errors.length, 0) +
    (children.length - reports.length) * shares[0]!.length;
  const summary: CaseResult = {
    name,
    processes,
    mode,
    samePrompts,
    wallMs: wallTime(reports),
    httpRequests: stats.requests,
    rateLimited429: stats.rateLimited,
    rateLimitedShare: Number((stats.rateLimited / Math.max(1, stats.requests)).toFixed(4)),
    failed,
    completionsServed: stats.completionsServed,
    duplicateCompletions: stats.duplicateCompletions,
    processesFailed: reports.filter((entry) => entry.errors.length > 0).length + (children.length - reports.length),
    warnings: [...new Set(reports.flatMap((entry) => entry.warnings))],
    timedOut,
  };
  return { summary, promptTokens: stats.promptTokens };
}

function wallTime(reports: ClientProcessReport[]): number {
  if (reports.length === 0) return CASE_TIMEOUT_MS;
  return Math.max(...reports.map((entry) => entry.finishedAt)) - Math.min(...reports.map((entry) => entry.startedAt));
}

function report(bound: ThroughputBound, results: CaseResult[]): void {
  const shared = results.filter((result) => result.mode === 'redis' && !result.samePrompts);
  const same = results.find((result) => result.name === 'redis-same-p2');
  const targets = {
    redisEveryPAtLeast95PercentOfBound: shared.every((result) => (result.fractionOfBound ?? 0) >= 0.95),
    redisAtMost1Percent429: shared.every((result) => result.rateLimitedShare <= 0.01),
    redisNoFailures: results.filter((result) => result.mode === 'redis').every((result) => result.failed === 0),
    redisSamePromptsPaidOnce:
      same !== undefined && same.duplicateCompletions === 0 && same.completionsServed === PROMPTS,
  };
  const workload = {
    prompts: PROMPTS,
    maxTokens: MAX_TOKENS,
    rpm: RPM,
    tpm: TPM,
    burstSeconds: BURST_SECONDS,
    latencyMs: `${LATENCY_MS}-${LATENCY_MS + LATENCY_JITTER_MS}`,
  };
  console.log(JSON.stringify({ bench: 'shared', workload, bound, cases: results, targets }, null, 2));
  const cells = results.map(
    (result) =>
      `${result.name} ${(result.wallMs / 1000).toFixed(1)}s${result.fractionOfBound === undefined ? '' : ` ${Math.round(result.fractionOfBound * 100)}%`} 429=${result.rateLimited429} failed=${result.failed} dup=${result.duplicateCompletions}`,
  );
  const met = Object.values(targets).every(Boolean);
  console.log(
    `shared bench: bound ${(bound.boundMs / 1000).toFixed(1)}s | ${cells.join(' | ')} | targets ${met ? 'met' : 'MISSED'}`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
