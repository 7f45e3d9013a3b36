import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { repositoryRoot } from '../support/repository';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';

const SECRET = fakeApiKey('test-secret-123');

const root = repositoryRoot();

/** Runs the built CLI as a child process (real HTTP to the test server), with a key that must never leak. */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(args, cwd, { OPENAI_API_KEY: SECRET, ...env });
}

function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-run-'));
  cpSync(path.join(root, 'examples', 'prompts'), path.join(folder, 'prompts'), { recursive: true });
  cpSync(path.join(root, 'examples', 'data'), path.join(folder, 'data'), { recursive: true });
  return folder;
}

describe('promptmeter run', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rpm: 600, tpm: 100_000, latencyMs: 20 });
  });
  after(() => server.close());

  it('runs a prompt file, reports what happened, and a second run costs 0 HTTP calls', async () => {
    const folder = workspace();
    const first = await cli(['run', 'prompts/faq-answer.prompt.md', '--base-url', server.url, '--json'], folder);
    assert.equal(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout);
    assert.equal(report.status, 'completed');
    assert.equal(report.requests, 1);
    assert.equal(report.cacheHits, 0);
    assert.equal(report.failed, 0);
    assert.ok(report.cost.knownUsd > 0 && report.cost.usd === report.cost.knownUsd);
    assert.equal(report.results.length, 1);
    assert.match(report.results[0].output, /\S/);
    assert.equal(report.results[0].cache, 'miss');
    const second = JSON.parse(
      (await cli(['run', 'prompts/faq-answer.prompt.md', '--base-url', server.url, '--json'], folder)).stdout,
    );
    assert.equal(second.requests, 0);
    assert.equal(second.cacheHits, 1);
    assert.ok(['disk', 'memory'].includes(second.results[0].cache), second.results[0].cache);
    assert.deepEqual(second.cost, { usd: 0, knownUsd: 0, unpriced: 0 });
    assert.equal(second.plan.knownCacheHits, 1, 'the plan knew the answer was cached');
    assert.equal(second.plan.costUsd, 0);
    const fresh = JSON.parse(
      (await cli(['run', 'prompts/faq-answer.prompt.md', '--base-url', server.url, '--json', '--no-cache'], folder))
        .stdout,
    );
    assert.equal(fresh.requests, 1);
    const ledger = workspaceLedgerText(folder);
    assert.equal(ledger.trim().split('\n').length, 3, 'every call and every cache hit is in the ledger');
    assert.ok(!ledger.includes(SECRET), 'the key is not in the ledger');
    assert.doesNotMatch(ledger, /Lumen Notes/, 'no prompt text in the ledger');
    const runFolder = report.runFolder as string;
    assert.ok(
      !readFileSync(path.join(runFolder, 'results.jsonl'), 'utf8').includes(SECRET),
      'the key is not in the results',
    );
    assert.ok(existsSync(path.join(runFolder, 'summary.md')));
  });

  it('sends identical batch lines once and fills the rest from the one answer', async () => {
    server.reset();
    const folder = workspace();
    const result = await cli(['run', 'prompts/ticket-triage.batch.jsonl', '--base-url', server.url, '--json'], folder);
    const report = JSON.parse(result.stdout);
    const duplicates = report.results.filter((item: { cache: string }) => item.cache === 'dedupe');
    assert.ok(duplicates.length >= 3, `${duplicates.length} duplicates`);
    assert.equal(server.stats().completionsServed, report.results.length - duplicates.length);
    assert.equal(server.stats().duplicateCompletions, 0);
  });

  it('runs a prompt × every dataset row', async () => {
    server.reset();
    const folder = workspace();
    const report = JSON.parse(
      (await cli(['run', 'prompts/faq-from-dataset.prompt.md', '--base-url', server.url, '--json'], folder)).stdout,
    );
    const rows =
      readFileSync(path.join(folder, 'data', 'faq-questions.csv'), 'utf8')
        .trim()
        .split('\n').length - 1;
    assert.equal(report.results.length, rows);
    assert.deepEqual(
      report.results.map((item: { row: number }) => item.row),
      Array.from({ length: rows }, (_, index) => index + 1),
    );
  });

  it('finds similar questions (never across enable/disable), lists them for review, and reuses answers only when asked', async () => {
    server.reset();
    const folder = workspace();
    // The test server's embeddings put these paraphrases at ~0.84 cosine (real embeddings: ~0.95), so the threshold is lowered.
    mkdirSync(path.join(folder, '.vscode'));
    writeFileSync(path.join(folder, '.vscode', 'settings.json'), '{ "promptmeter.semanticDedupeThreshold": 0.8 }');
    writeFileSync(
      path.join(folder, 'data', 'similar.csv'),
      'question\nHow do I reset my password?\nhow can I reset my password\nHow do I enable SSO?\nHow do I disable SSO?\n',
    );
    writeFileSync(
      path.join(folder, 'prompts', 'ask.prompt.md'),
      '---\nmodel: gpt-4o-mini\nmax_tokens: 64\ndata: ../data/similar.csv\nvariables:\n  question: x\n---\nAnswer: {{question}}\n',
    );
    const reviewed = JSON.parse(
      (await cli(['run', 'prompts/ask.prompt.md', '--base-url', server.url, '--json'], folder)).stdout,
    );
    const groups = JSON.parse(readFileSync(path.join(reviewed.runFolder, 'similar-groups.json'), 'utf8'));
    assert.deepEqual(
      groups.map((group: { leader: string; members: Array<{ jobId: string }> }) => [
        group.leader,
        group.members.map((member) => member.jobId),
      ]),
      [['prompts/ask.prompt.md#row-1', ['prompts/ask.prompt.md#row-2']]],
    );
    assert.equal(
      reviewed.results.filter((item: { cache: string }) => item.cache === 'semantic').length,
      0,
      'listed for review, not reused',
    );
    const reused = JSON.parse(
      (
        await cli(
          ['run', 'prompts/ask.prompt.md', '--base-url', server.url, '--json', '--similar', '--no-cache'],
          folder,
        )
      ).stdout,
    );
    const semantic = reused.results.filter((item: { cache: string }) => item.cache === 'semantic');
    assert.deepEqual(
      semantic.map((item: { id: string; answeredBy: string }) => [item.id, item.answeredBy]),
      [['prompts/ask.prompt.md#row-2', 'prompts/ask.prompt.md#row-1']],
    );
    assert.equal(reused.plan.similarReused, 1);
  });

  it('insufficient_quota stops the run at once, says what to do, and a resume finishes it', async () => {
    server.reset();
    // Triage answers within their max_tokens 40 (the server's default 60-token answer would be cut off, and a
    // truncated answer is never cached, so one answered while the run stopped would be sent again on resume).
    server.configure({ quotaAfterRequests: 3, answerTokens: 30 });
    const folder = workspace();
    const stopped = await cli(
      ['run', 'prompts/ticket-triage.batch.jsonl', '--base-url', server.url, '--json', '--concurrency', '1'],
      folder,
    );
    assert.equal(stopped.code, 3, stopped.stderr);
    assert.match(stopped.stderr, /quota/i);
    assert.match(stopped.stderr, /--resume/);
    const report = JSON.parse(stopped.stdout);
    assert.equal(report.status, 'stopped');
    assert.ok(report.pending > 0);
    assert.equal(report.retries, 0, 'insufficient_quota is never retried');
    server.configure({ quotaAfterRequests: undefined });
    const resumed = await cli(['run', '--resume', report.runId, '--base-url', server.url, '--json'], folder);
    assert.equal(resumed.code, 0, resumed.stderr);
    const final = JSON.parse(resumed.stdout);
    assert.equal(final.pending, 0);
    const answeredBefore = report.results.filter((item: { cache: string }) => item.cache !== 'pending').length;
    const sentNow =
      final.results.filter((item: { cache: string }) => item.cache === 'miss').length -
      report.results.filter((item: { cache: string }) => item.cache === 'miss').length;
    assert.ok(answeredBefore > 0);
    assert.equal(final.requests - final.retries, sentNow, 'the resume sent only the unanswered jobs, once each');
    assert.equal(server.stats().duplicateCompletions, 0, 'nothing was answered twice');
    assert.equal(final.truncated, 0);
    server.configure({ answerTokens: undefined });
  });

  it('refuses to start over the per-run budget unless told to', async () => {
    const folder = workspace();
    const refused = await cli(
      ['run', 'prompts/ticket-triage.batch.jsonl', '--base-url', server.url, '--budget', '0.00001'],
      folder,
    );
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /past the per-run budget/);
    assert.match(refused.stderr, /--allow-over-budget/);
    const allowed = await cli(
      [
        'run',
        'prompts/faq-answer.prompt.md',
        '--base-url',
        server.url,
        '--budget',
        '0.00001',
        '--allow-over-budget',
        '--no-cache',
      ],
      folder,
    );
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it('bad arguments and a missing key: a message and exit 2', async () => {
    const folder = workspace();
    const noKey = await cli(['run', 'prompts/faq-answer.prompt.md'], folder, { OPENAI_API_KEY: '' });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /OPENAI_API_KEY/);
    assert.equal((await cli(['run', '--rpm', 'fast', 'prompts'], folder)).code, 2);
    assert.equal((await cli(['run'], folder)).code, 2);
    writeFileSync(path.join(folder, 'empty.txt'), '');
  });
});
