import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { workspaceLedgerText } from '../support/ledgerText';

/** A workspace with three prompts: one cut off by hidden reasoning, one through the Responses API, one plain. */
function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-outcomes-'));
  mkdirSync(path.join(folder, 'prompts'));
  const write = (name: string, front: string, text: string) =>
    writeFileSync(path.join(folder, 'prompts', name), `---\n${front}\n---\n${text}\n`);
  write('cut.prompt.md', 'model: gpt-5-nano\nmax_tokens: 10', 'Classify this ticket: the printer is on fire.');
  write(
    'respond.prompt.md',
    'model: gpt-4o-mini\napi: responses\nmax_tokens: 120',
    'Say hello through the Responses API.',
  );
  write('plain.prompt.md', 'model: gpt-4o-mini\nmax_tokens: 120', 'Say hello through Chat Completions.');
  return folder;
}

interface ResultJson {
  id: string;
  output: string | null;
  outcome: string;
  finishReason: string | null;
  cache: string;
  costUsd: number | null;
}

describe('promptmeter run: truncated answers and the Responses API', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ batchDurationMs: 50 });
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('counts a cut-off answer per result and in total, names it in summary.md, and sends it again next time', async () => {
    const folder = workspace();
    const first = await runCli(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    assert.equal(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout) as { truncated: number; runFolder: string; results: ResultJson[] };
    assert.equal(report.truncated, 1);
    const byFile = new Map(report.results.map((result) => [path.basename(result.id), result]));
    assert.deepEqual(
      [
        byFile.get('cut.prompt.md')?.outcome,
        byFile.get('cut.prompt.md')?.finishReason,
        byFile.get('cut.prompt.md')?.output,
      ],
      ['truncated', 'length', ''],
    );
    assert.ok((byFile.get('cut.prompt.md')?.costUsd ?? 0) > 0, 'the hidden reasoning was paid for');
    assert.equal(byFile.get('respond.prompt.md')?.outcome, 'answered');
    assert.match(byFile.get('respond.prompt.md')?.output ?? '', /^Answer: [0-9a-f]{8}/);
    assert.equal(byFile.get('plain.prompt.md')?.outcome, 'answered');
    assert.equal(server.stats().byEndpoint['POST /v1/responses'], 1);
    assert.equal(server.stats().byEndpoint['POST /v1/chat/completions'], 2);
    const summary = readFileSync(path.join(report.runFolder, 'summary.md'), 'utf8');
    assert.match(summary, /1 truncated/);
    assert.match(summary, /## Truncated answers[\s\S]*cut\.prompt\.md: empty answer: the output cap was reached/);
    const lines = readFileSync(path.join(report.runFolder, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { jobId: string; outcome?: string; finishReason?: string });
    assert.deepEqual(
      lines
        .filter((line) => line.outcome === 'truncated')
        .map((line) => [path.basename(line.jobId), line.finishReason]),
      [['cut.prompt.md', 'length']],
    );
    const ledger = workspaceLedgerText(folder)
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            source: string;
            endpoint: string;
            outcome: string;
            usage: { promptTokens: number; completionTokens: number };
          },
      );
    const responses = ledger.find((entry) => entry.source.endsWith('respond.prompt.md'));
    assert.equal(responses?.endpoint, 'responses');
    assert.ok(
      (responses?.usage.promptTokens ?? 0) > 0 && (responses?.usage.completionTokens ?? 0) > 0,
      'usage read from the Responses shape',
    );
    assert.equal(ledger.find((entry) => entry.source.endsWith('cut.prompt.md'))?.outcome, 'truncated');

    server.reset();
    const second = JSON.parse(
      (await runCli(['run', 'prompts', '--base-url', server.url, '--json'], folder)).stdout,
    ) as { results: ResultJson[] };
    const cache = new Map(second.results.map((result) => [path.basename(result.id), result.cache]));
    const cached = (tier: string | undefined) => (tier === 'disk' || tier === 'memory' ? 'cached' : tier);
    assert.deepEqual(
      [cache.get('cut.prompt.md'), cached(cache.get('respond.prompt.md')), cached(cache.get('plain.prompt.md'))],
      ['miss', 'cached', 'cached'],
    );
    assert.equal(server.stats().completionsServed, 1, 'only the truncated answer was asked again');
  });

  it('a Batch API run sends Responses jobs as /v1/responses lines in their own batch', async () => {
    const folder = workspace();
    const run = await runCli(['run', 'prompts', '--base-url', server.url, '--batch-api', '--json'], folder);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      truncated: number;
      results: ResultJson[];
      batch: { batches: Array<{ endpoint: string; status: string }> };
    };
    assert.deepEqual(report.batch.batches.map((batch) => [batch.endpoint, batch.status]).sort(), [
      ['/v1/chat/completions', 'completed'],
      ['/v1/responses', 'completed'],
    ]);
    const byFile = new Map(report.results.map((result) => [path.basename(result.id), result]));
    assert.match(byFile.get('respond.prompt.md')?.output ?? '', /^Answer: [0-9a-f]{8}/);
    assert.deepEqual([byFile.get('cut.prompt.md')?.outcome, report.truncated], ['truncated', 1]);
    assert.equal(server.stats().completionsServed, 0);
  });
});
