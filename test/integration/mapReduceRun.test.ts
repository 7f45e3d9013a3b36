import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli as cli } from '../support/cli';
import { workspaceLedgerText } from '../support/ledgerText';

describe('a long document run with map-reduce', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 5 });
  });
  after(() => server.close());

  it('runs one map call per chunk and reduce calls, answers once, and records the map-reduce evidence', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pm-map-reduce-'));
    mkdirSync(path.join(folder, 'prompts'));
    const paragraphs = Array.from(
      { length: 40 },
      (_, index) =>
        `Section ${index + 1}. The payment retries rose to ${index * 3} per minute while the cache was cold; the team rolled back at step ${index}.`,
    );
    writeFileSync(path.join(folder, 'prompts', 'report.md'), paragraphs.join('\n\n'));
    writeFileSync(
      path.join(folder, 'prompts', 'summary.prompt.md'),
      '---\nmodel: gpt-4o-mini\nmax_tokens: 200\nchunk:\n  document: report.md\n  maxTokens: 150\n  mapMaxTokens: 40\n---\nSummarize the report.\n',
    );
    const estimate = JSON.parse((await cli(['estimate', 'prompts', '--json'], folder)).stdout);
    const planned = estimate.prompts.find((prompt: { mapReduce?: unknown }) => prompt.mapReduce).mapReduce;
    assert.ok(planned.chunks >= 5, `${planned.chunks} chunks`);
    assert.deepEqual(
      estimate.prompts.map((prompt: { file: string }) => prompt.file),
      ['prompts/report.md', 'prompts/summary.prompt.md'],
      'the estimate lists the plain document too',
    );
    const run = await cli(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(
      report.results.length,
      1,
      'one job, one answer: the document read by the prompt is not run as a prompt',
    );
    assert.equal(report.results[0].cache, 'map-reduce');
    assert.match(report.results[0].output, /\S/);
    const served = server.stats().completionsServed;
    assert.ok(
      served >= planned.chunks + 1 && served <= planned.calls,
      `${served} calls for ${planned.chunks} chunks (plan bound ${planned.calls})`,
    );
    assert.equal(report.requests - report.retries, served);
    const ledger = workspaceLedgerText(folder)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(ledger.length, served);
    const evidence = ledger.filter((entry) => entry.extra?.mapReduce);
    assert.equal(evidence.length, 1, 'the map-reduce estimate is recorded once per job');
    assert.equal(typeof evidence[0].extra.mapReduce.mapReduceEstimateUsd, 'number');
  });
});
