// Issue 11, items 5 and 6: retry only the failed jobs, resume a run whose run.json was lost or torn, and a plan
// whose "already cached" is the cache hits that follow. Real CLI processes against the local test server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MODELS, startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { fakeApiKey } from '../support/fakeKeys';

const KEY = fakeApiKey('resume-key');
/** gpt-4o is unknown to the server until a test says otherwise: its jobs fail with 404 model_not_found (not retried). */
const WITHOUT_GPT_4O = DEFAULT_MODELS.filter((model) => model !== 'gpt-4o');

function cli(args: string[], cwd: string) {
  return runCli(args, cwd, { OPENAI_API_KEY: KEY });
}

function prompt(model: string, question: string): string {
  return `---\nmodel: ${model}\nmax_tokens: 32\n---\n${question}\n`;
}

/** Three prompts: two on gpt-4o-mini, one on gpt-4o. */
function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-resume-'));
  mkdirSync(path.join(folder, 'prompts'));
  writeFileSync(path.join(folder, 'prompts', 'a.prompt.md'), prompt('gpt-4o-mini', 'What is the capital of France?'));
  writeFileSync(path.join(folder, 'prompts', 'b.prompt.md'), prompt('gpt-4o', 'Name a prime number above 100.'));
  writeFileSync(path.join(folder, 'prompts', 'c.prompt.md'), prompt('gpt-4o-mini', 'Spell "necessary".'));
  return folder;
}

describe('promptmeter run: retry, resume, and a plan that matches the run', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 5 });
  });
  after(() => server.close());

  async function runWithOneFailure(folder: string) {
    server.configure({ models: WITHOUT_GPT_4O });
    const first = await cli(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    server.configure({ models: DEFAULT_MODELS });
    assert.equal(first.code, 1, first.stderr);
    const report = JSON.parse(first.stdout);
    assert.equal(report.failed, 1);
    assert.equal(report.pending, 0, 'a failed job has a result: it is not pending');
    return report as { runId: string; runFolder: string };
  }

  it('--retry-failed last sends only the failed job, keeps the answered ones, and says how in the failure line', async () => {
    const folder = workspace();
    server.configure({ models: WITHOUT_GPT_4O });
    const text = await cli(['run', 'prompts', '--base-url', server.url, '--no-cache'], folder);
    server.configure({ models: DEFAULT_MODELS });
    assert.equal(text.code, 1);
    assert.match(text.stderr, /1 job failed\. Retry only those with: promptmeter run --retry-failed \S+/);
    const served = server.stats().completionsServed;
    const retry = await cli(['run', '--retry-failed', 'last', '--base-url', server.url, '--json'], folder);
    assert.equal(retry.code, 0, retry.stderr);
    const report = JSON.parse(retry.stdout);
    assert.equal(server.stats().completionsServed - served, 1, 'one call: the failed gpt-4o job');
    assert.equal(report.requests, 1);
    assert.equal(report.plan.jobs, 1);
    assert.equal(report.failed, 0);
    assert.equal(report.status, 'completed');
    const byFile = new Map<string, { cache: string; error: unknown }>(
      report.results.map((result: { file: string; cache: string; error: unknown }) => [result.file, result]),
    );
    assert.equal(byFile.get('prompts/b.prompt.md')?.error, null);
    assert.equal(byFile.get('prompts/a.prompt.md')?.cache, 'miss', 'the answered jobs keep their first result');
    const again = await cli(['run', '--retry-failed', report.runId, '--base-url', server.url], folder);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /no failed jobs to retry/);
  });

  it('--retry-failed with --batch-api sends only the failed job, as one Batch API line', async () => {
    const folder = workspace();
    const { runId, runFolder } = await runWithOneFailure(folder);
    // c's answer is taken out, as if the run had stopped before sending it: a retry leaves never-sent jobs alone.
    const results = path.join(runFolder, 'results.jsonl');
    const lines = readFileSync(results, 'utf8').split('\n').filter(Boolean);
    writeFileSync(results, `${lines.filter((line) => !line.includes('prompts/c.prompt.md')).join('\n')}\n`);
    const before = server.stats();
    const retry = await cli(
      ['run', '--retry-failed', runId, '--batch-api', '--base-url', server.url, '--json'],
      folder,
    );
    assert.equal(retry.code, 0, retry.stderr);
    const after = server.stats();
    assert.equal(after.batchesCreated - before.batchesCreated, 1, 'one batch');
    assert.equal(after.batchLinesAnswered - before.batchLinesAnswered, 1, 'with one line: the failed gpt-4o job');
    assert.equal(after.completionsServed, before.completionsServed, 'no chat call over HTTP besides the batch');
    const report = JSON.parse(retry.stdout);
    assert.equal(report.failed, 0);
    assert.equal(report.status, 'completed');
    const retried = report.results.find((result: { file: string }) => result.file === 'prompts/b.prompt.md');
    assert.equal(retried.cache, 'batch');
    assert.equal(retried.error, null);
    assert.equal(
      report.results.filter((result: { cache: string }) => result.cache === 'batch').length,
      1,
      'the answered jobs keep their first result',
    );
    assert.equal(report.pending, 1, 'the never-sent job is still pending');
  });

  it('resumes a run whose run.json is missing, rebuilding it and naming the file', async () => {
    const folder = workspace();
    const { runId, runFolder } = await runWithOneFailure(folder);
    const indexFile = path.join(runFolder, 'run.json');
    rmSync(indexFile);
    const resumed = await cli(['run', '--resume', runId, '--base-url', server.url, '--json'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(
      resumed.stderr.includes(
        `${indexFile} is missing: rebuilt it from jobs.jsonl and results.jsonl (3 of 3 jobs have a result)`,
      ),
      resumed.stderr,
    );
    const report = JSON.parse(resumed.stdout);
    assert.equal(report.failed, 0);
    assert.equal(report.plan.jobs, 1, 'only the failed job is unanswered');
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    assert.equal(index.id, runId);
    assert.equal(index.status, 'completed');
    assert.deepEqual(
      { done: index.jobs.done, failed: index.jobs.failed, pending: index.jobs.pending },
      { done: 3, failed: 0, pending: 0 },
    );
    assert.equal(index.cost.unpriced, 0);
    assert.ok(index.cost.knownUsd > 0 && index.costUsd === index.cost.knownUsd);
  });

  it('a truncated run.json is named with what is wrong, never a bare JSON.parse message, and the run resumes', async () => {
    const folder = workspace();
    const { runId, runFolder } = await runWithOneFailure(folder);
    const indexFile = path.join(runFolder, 'run.json');
    writeFileSync(indexFile, readFileSync(indexFile, 'utf8').slice(0, 100));
    const resumed = await cli(['run', '--resume', runId, '--base-url', server.url], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.ok(resumed.stdout.includes(`${indexFile} is damaged (`), resumed.stdout);
    assert.doesNotMatch(resumed.stderr, /^promptmeter: Unterminated/m);
    assert.equal(JSON.parse(readFileSync(indexFile, 'utf8')).status, 'completed');
  });

  it("the plan's cached count is the cache hits that follow", async () => {
    const folder = workspace();
    const first = JSON.parse(
      (await cli(['run', 'prompts/a.prompt.md', 'prompts/c.prompt.md', '--base-url', server.url, '--json'], folder))
        .stdout,
    );
    assert.equal(first.plan.knownCacheHits, 0);
    const second = await cli(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    assert.equal(second.code, 0, second.stderr);
    const report = JSON.parse(second.stdout);
    assert.equal(report.plan.knownCacheHits, 2);
    assert.equal(report.cacheHits, report.plan.knownCacheHits);
    assert.equal(report.plan.calls, 1);
    assert.equal(report.requests, report.plan.calls);
    assert.deepEqual(report.cost.unpriced, 0);
  });
});
