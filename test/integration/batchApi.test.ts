import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BatchApiClient, type Batch } from '../../src/core/batchApi/batchApiClient';
import { customIdFor, type BatchEndpoint } from '../../src/core/batchApi/batchInput';
import { priceUsageFrom } from '../../src/core/client/priceUsage';
import { runBatchApi, type BatchProgress, type BatchRunOptions } from '../../src/core/batchApi/runBatchApi';
import { createSystemClock } from '../../src/core/client/clock';
import { RetryPolicy } from '../../src/core/client/retryPolicy';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';
import { Pricing } from '../../src/core/pricing/pricing';
import type { RunJob } from '../../src/core/runs/runJob';
import { RunStore, type RunFolder } from '../../src/core/runs/runStore';
import { startTestServer, type TestServer } from '../server';
import { chatJob } from '../support/runJobs';
import { fakeApiKey } from '../support/fakeKeys';

const secret = fakeApiKey('test-BATCH0SECRET0KEY0123456789');
/** USD per 1M tokens, set as overrides so the expected costs below are computed from these numbers only. */
const rates = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
};
const priceUsage = priceUsageFrom(new Pricing(rates));
const standardCost = (model: keyof typeof rates, usage: { promptTokens: number; completionTokens: number }) =>
  (usage.promptTokens * rates[model].input + usage.completionTokens * rates[model].output) / 1e6;

function embeddingJob(id: string, input: string): RunJob {
  const model = 'text-embedding-3-small';
  return {
    id,
    file: 'prompts/faq-embeddings.jsonl',
    endpoint: 'embeddings',
    model,
    request: { model, input },
    estimate: { inputTokens: 8, outputTokens: 0, costUsd: 0.0000002, batchCostUsd: 0.0000001 },
    dedupeKey: `embed:${input}`,
    question: input,
  };
}

describe('Batch API runs against the test server', () => {
  let server: TestServer;
  let client: BatchApiClient;
  let ledger: LedgerEntry[];
  const clock = createSystemClock();
  const options = (extra: Partial<BatchRunOptions> = {}): BatchRunOptions => ({
    clock,
    priceUsage,
    ledger: { append: async (entry) => void ledger.push(entry) },
    pollIntervalMs: 20,
    maxPollIntervalMs: 100,
    ...extra,
  });
  const newRun = (jobs: RunJob[]): RunFolder =>
    new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-batch-'))).create('prompts', jobs, null);
  const reopen = (folder: RunFolder): RunFolder => new RunStore(path.dirname(folder.directory)).open(folder.id);

  before(async () => {
    server = await startTestServer({ batchDurationMs: 200 });
  });
  after(() => server.close());
  beforeEach(() => {
    server.configure({ batchDurationMs: 200, batchFailCustomIds: [], batchExpireAfterLines: undefined });
    server.reset();
    ledger = [];
    client = new BatchApiClient({
      apiKey: secret,
      baseUrl: server.url,
      clock,
      policy: new RetryPolicy({ random: () => 0.5, baseDelayMs: 10, maxDelayMs: 50 }),
    });
  });

  it('answers every job, sends identical jobs once, one batch per endpoint, at half the standard price', async () => {
    const jobs = [
      chatJob('faq.md#row-1', 'How do I reset my password?'),
      chatJob('faq.md#row-2', 'Can I export to PDF?'),
      chatJob('faq.md#row-3', 'How do I reset my password?'),
      embeddingJob('emb#1', 'reset password'),
    ];
    const folder = newRun(jobs);
    const outcome = await runBatchApi(folder, client, options());
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(
      { ...outcome.progress, costUsd: 0, cost: null },
      { total: 4, done: 4, failed: 0, truncated: 0, pending: 0, costUsd: 0, cost: null },
    );
    assert.equal(outcome.progress.cost.unpriced, 0, 'every answered line is priced');
    assert.equal(outcome.progress.cost.usd, outcome.progress.costUsd);
    const stats = server.stats();
    assert.equal(stats.batchesCreated, 2, 'chat and embeddings each get their batch');
    assert.equal(stats.batchLinesAnswered, 3, 'the identical job was not sent');
    assert.equal(stats.duplicateCompletions, 0);
    assert.equal(stats.completionsServed, 0, 'nothing went through the synchronous endpoint');
    const results = folder.results();
    assert.equal(results.get('faq.md#row-1')?.cache, 'batch');
    assert.equal(results.get('faq.md#row-3')?.cache, 'dedupe');
    assert.equal(results.get('faq.md#row-3')?.answeredBy, 'faq.md#row-1');
    assert.equal(results.get('faq.md#row-3')?.output, results.get('faq.md#row-1')?.output);
    assert.match(results.get('faq.md#row-1')?.output ?? '', /\S/);
    assert.equal(results.get('emb#1')?.embeddings?.length, 1);
    for (const id of ['faq.md#row-1', 'faq.md#row-2', 'emb#1']) {
      const result = results.get(id)!;
      const model = result.model as keyof typeof rates;
      assert.ok(result.usage.promptTokens > 0);
      assert.ok(
        Math.abs(result.costUsd! - standardCost(model, result.usage) * 0.5) < 1e-15,
        `${id}: ${result.costUsd} is half of ${standardCost(model, result.usage)}`,
      );
    }
    const paid = ledger.filter((entry) => entry.cache === 'miss');
    assert.equal(paid.length, 3);
    assert.ok(paid.every((entry) => entry.batchApi === true && entry.outcome === 'ok' && entry.runId === folder.id));
    const follower = ledger.find((entry) => entry.jobId === 'faq.md#row-3')!;
    assert.equal(follower.cache, 'inflight');
    assert.equal(follower.costUsd, 0);
    assert.equal(follower.avoidedCostUsd, results.get('faq.md#row-1')?.costUsd);
    const index = JSON.parse(readFileSync(path.join(folder.directory, 'run.json'), 'utf8'));
    assert.equal(index.status, 'completed');
    assert.match(index.batchApi.batchId, /^batch_/);
    assert.equal(index.batchApi.status, 'completed');
    assert.ok(Math.abs(index.costUsd - outcome.progress.costUsd) < 1e-15);
    // The same money summed in another order: equal to the last few binary digits.
    assert.ok(Math.abs(outcome.progress.costUsd - paid.reduce((sum, entry) => sum + (entry.costUsd ?? 0), 0)) < 1e-12);
    assert.doesNotMatch(
      JSON.stringify(ledger) + readFileSync(path.join(folder.directory, 'batch-api.json'), 'utf8'),
      new RegExp(secret),
    );
    const again = await runBatchApi(reopen(folder), client, options());
    assert.equal(again.status, 'completed');
    assert.equal(server.stats().batchesCreated, 2, 'a finished run sends nothing more');
  });

  it('partial failure: failed lines get errors, and a re-run resends only those', async () => {
    const jobs = ['a', 'b', 'c', 'd'].map((id) => chatJob(`t#${id}`, `question ${id}`));
    server.configure({ batchFailCustomIds: [customIdFor('t#b'), customIdFor('t#d')] });
    const folder = newRun(jobs);
    const first = await runBatchApi(folder, client, options());
    assert.equal(first.status, 'completed');
    assert.equal(first.progress.failed, 2);
    const failed = folder.results().get('t#b');
    assert.equal(failed?.error?.status, 500);
    assert.match(failed?.error?.message ?? '', /error/);
    assert.equal(failed?.costUsd, 0);
    assert.ok(ledger.some((entry) => entry.jobId === 't#b' && entry.outcome === 'error' && entry.costUsd === 0));
    server.configure({ batchFailCustomIds: [] });
    server.reset();
    const second = await runBatchApi(reopen(folder), client, options());
    assert.equal(second.status, 'completed');
    assert.equal(second.progress.failed, 0);
    assert.equal(server.stats().batchesCreated, 1);
    assert.equal(server.stats().batchLinesAnswered, 2, 'only the two failed jobs were sent again');
    assert.ok(jobs.every((job) => folder.results().get(job.id)?.cache !== undefined));
  });

  it('expiry: lines that did not run stay pending, and a resume finishes only them', async () => {
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => chatJob(`x#${id}`, `expiring ${id}`));
    server.configure({ batchExpireAfterLines: 2 });
    const folder = newRun(jobs);
    const first = await runBatchApi(folder, client, options());
    assert.equal(first.status, 'stopped');
    assert.match(first.stopReason ?? '', /expired/);
    assert.deepEqual(
      { done: first.progress.done, failed: first.progress.failed, pending: first.progress.pending },
      { done: 2, failed: 0, pending: 3 },
    );
    assert.equal(
      ledger.filter((entry) => entry.outcome === 'error').length,
      0,
      'expired lines never ran: no ledger entry',
    );
    server.configure({ batchExpireAfterLines: undefined });
    server.reset();
    const resumed = await runBatchApi(reopen(folder), client, options());
    assert.equal(resumed.status, 'completed');
    assert.equal(resumed.progress.done, 5);
    assert.equal(server.stats().batchLinesAnswered, 3);
  });

  it('cancel: the batch is cancelled, finished lines are kept, the rest stay pending for a resume', async () => {
    server.configure({ batchDurationMs: 2_000 });
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => chatJob(`c#${id}`, `cancel me ${id}`));
    const folder = newRun(jobs);
    const controller = new AbortController();
    const phases: BatchProgress['phase'][] = [];
    const outcome = await runBatchApi(
      folder,
      client,
      options({
        signal: controller.signal,
        onProgress: (progress) => {
          phases.push(progress.phase);
          if ((progress.batches[0]?.requestCounts?.completed ?? 0) >= 1) controller.abort();
        },
      }),
    );
    assert.equal(outcome.status, 'cancelled');
    assert.ok(phases.includes('cancelling'));
    assert.equal(outcome.batches[0]?.status, 'cancelled');
    assert.equal(server.stats().byEndpoint['POST /v1/batches/:id/cancel'], 1);
    const kept = outcome.progress.done;
    assert.ok(kept >= 1 && kept < 5, `${kept} done`);
    assert.equal(outcome.progress.pending, 5 - kept);
    assert.equal(JSON.parse(readFileSync(path.join(folder.directory, 'run.json'), 'utf8')).status, 'cancelled');
    server.configure({ batchDurationMs: 200 });
    server.reset();
    const resumed = await runBatchApi(reopen(folder), client, options());
    assert.equal(resumed.status, 'completed');
    assert.equal(server.stats().batchLinesAnswered, 5 - kept, 'the resume sent only the pending jobs');
  });

  it('a create whose answer was lost is adopted on resume, not created twice', async () => {
    class LosingClient extends BatchApiClient {
      override async createBatch(
        inputFileId: string,
        endpoint: BatchEndpoint,
        metadata: Record<string, string>,
      ): Promise<Batch> {
        await super.createBatch(inputFileId, endpoint, metadata);
        throw new Error('process died before saving the batch id');
      }
    }
    const folder = newRun([chatJob('l#1', 'lost create'), chatJob('l#2', 'lost create 2')]);
    const losing = new LosingClient({
      apiKey: secret,
      baseUrl: server.url,
      clock,
      policy: new RetryPolicy({ random: () => 0.5 }),
    });
    const first = await runBatchApi(folder, losing, options());
    assert.equal(first.status, 'stopped');
    assert.equal(server.stats().batchesCreated, 1);
    const resumed = await runBatchApi(reopen(folder), client, options());
    assert.equal(resumed.status, 'completed');
    assert.equal(server.stats().batchesCreated, 1, 'the batch the lost create made was found and used');
    assert.equal(server.stats().byEndpoint['POST /v1/files'], 1, 'the uploaded file was reused');
    assert.equal(server.stats().batchLinesAnswered, 2);
  });
});
