// `promptmeter report` as a user runs it: the built CLI in a folder holding a hand-written ledger and a
// .vscode/settings.json (budget and price overrides). Expected numbers are computed by hand from these prices.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { CostReport } from '../../src/core/report/costReportTypes';
import { repositoryRoot } from '../support/repository';

const root = repositoryRoot();
const folders: string[] = [];

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'promptmeter.js'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    id: randomUUID(),
    time: new Date(Date.now() - 1000).toISOString(),
    endpoint: 'chat.completions',
    model: 'test-model',
    requestKey: 'k'.repeat(64),
    costUsd: 0,
    latencyMs: 10,
    cache: 'miss',
    retries: 0,
    outcome: 'ok',
    ...fields,
    usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, ...(fields.usage as object) },
  });
}

/** test-model costs $1 input, $0.5 cached input, $2 output per 1M tokens (an override in .vscode/settings.json). */
function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-cli-report-'));
  folders.push(folder);
  mkdirSync(path.join(folder, '.promptmeter'), { recursive: true });
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    `{
  // VS Code writes JSON with comments and trailing commas.
  "promptmeter.budget.monthly": 0.004,
  "promptmeter.pricing.overrides": { "test-model": { "input": 1, "cachedInput": 0.5, "output": 2 }, },
  "editor.fontSize": 13, /* not ours */
}
`,
  );
  const ledger = [
    // 1,000 in × $1 + 500 out × $2 = $0.002
    line({ source: 'prompts/a.prompt.md', usage: { promptTokens: 1000, completionTokens: 500 }, costUsd: 0.002 }),
    line({
      source: 'prompts/a.prompt.md',
      cache: 'memory',
      usage: { promptTokens: 1000, completionTokens: 500 },
      avoidedCostUsd: 0.002,
    }),
    // Batch: (1,000 × $1 + 1,000 cached × $0.5 + 1,000 out × $2) × 50% = $0.00175; standard $0.0035.
    line({
      source: 'prompts/b.batch.jsonl',
      runId: 'run-7',
      jobId: 'line-1',
      batchApi: true,
      usage: { promptTokens: 2000, cachedTokens: 1000, completionTokens: 1000 },
      costUsd: 0.00175,
    }),
    line({ source: 'prompts/c.prompt.md', model: 'mystery-model', usage: { promptTokens: 10 }, costUsd: null }),
    line({ source: 'prompts/a.prompt.md', time: '2020-01-15T12:00:00.000Z', costUsd: 1 }),
    '{"torn line',
  ];
  writeFileSync(path.join(folder, '.promptmeter', 'ledger.jsonl'), `${ledger.join('\n')}\n`);
  return folder;
}

function near(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-12,
    `${what}: expected ${expected}, got ${actual}`,
  );
}

describe('promptmeter report', () => {
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('--json prints one object with spend, byModel, byFile, savings by cause and budget', () => {
    const { code, stdout, stderr } = cli(['report', '--json'], workspace());
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as CostReport;
    assert.equal(report.range.name, 'month');
    // $0.002 + $0 (cache hit) + $0.00175; mystery-model has no price: the total is unknown, never $0.
    assert.deepEqual(report.spend.month, { usd: null, knownUsd: 0.00375, unpriced: 1 });
    assert.equal(report.spend.calls, 4);
    assert.deepEqual(
      report.byModel.map((row) => [row.name, row.calls, row.spend.usd]),
      [
        ['test-model', 3, 0.00375],
        ['mystery-model', 1, null],
      ],
    );
    assert.deepEqual(
      report.byFile.map((row) => [row.source, row.spend.knownUsd]),
      [
        ['prompts/a.prompt.md', 0.002],
        ['prompts/b.batch.jsonl', 0.00175],
        ['prompts/c.prompt.md', 0],
      ],
    );
    const saving = (cause: string) => report.savings.causes.find((candidate) => candidate.cause === cause)?.amount.usd;
    near(saving('responseCache'), 0.002, 'response cache');
    near(saving('batchApi'), 0.00175, 'batch API: $0.0035 − $0.00175');
    near(saving('promptCaching'), 0.00025, 'prompt caching: 1,000 × ($1 − $0.5) / 1M × 50%');
    assert.deepEqual(
      report.savings.causes.map((cause) => cause.cause),
      ['responseCache', 'batchApi', 'promptCaching'],
      'no evidence, no cause',
    );
    near(report.savings.total.usd, 0.004, 'total saved');
    assert.equal(report.budget.monthly, 0.004);
    near(report.budget.fraction, 0.9375, 'budget fraction');
    assert.equal(report.budget.level, 'warning');
    assert.equal(report.ledger.skippedLines, 1, 'the torn line is skipped, not fatal');
    assert.match(report.priceSource, /overrides/);
  });

  it('moves the old single-file ledger into the ledger folder once, with rollups beside it; later reports agree', () => {
    const folder = workspace();
    const first = JSON.parse(cli(['report', '--json', '--range', 'all'], folder).stdout) as CostReport;
    assert.ok(!existsSync(path.join(folder, '.promptmeter', 'ledger.jsonl')), 'ledger.jsonl was moved');
    const ledgerFolder = path.join(folder, '.promptmeter', 'ledger');
    const segments = readdirSync(ledgerFolder)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    const thisMonth = `${new Date().toISOString().slice(0, 7)}.jsonl`;
    assert.deepEqual(segments, ['2020-01.jsonl', thisMonth], 'split into month segments');
    assert.deepEqual(
      readdirSync(path.join(ledgerFolder, 'rollups')).sort(),
      segments.map((segment) => `${segment}.rollup`),
    );
    const later = JSON.parse(cli(['report', '--json', '--range', 'all'], folder).stdout) as CostReport;
    assert.deepEqual({ ...later, generatedAt: first.generatedAt, range: first.range }, first);
    assert.equal(first.ledger.entries, 5, 'every entry kept');
    assert.equal(first.ledger.skippedLines, 1, 'the torn line too (still skipped)');
    const asFile = JSON.parse(
      cli(['report', '--json', '--range', 'all', '--ledger', path.join(ledgerFolder, thisMonth)], folder).stdout,
    ) as CostReport;
    assert.deepEqual(asFile.spend.month, first.spend.month, '--ledger FILE reads the same entries');
  });

  it('--since widens the range; --ledger reads another file; without --json it prints a table', () => {
    const folder = workspace();
    const since = JSON.parse(cli(['report', '--since', '2020-01-01', '--json'], folder).stdout) as CostReport;
    assert.equal(since.range.name, 'since');
    assert.deepEqual(since.spend.range, { usd: null, knownUsd: 1.00375, unpriced: 1 });
    assert.deepEqual(
      since.spend.month,
      { usd: null, knownUsd: 0.00375, unpriced: 1 },
      'month to date does not depend on the range',
    );

    const moved = path.join(folder, 'elsewhere.jsonl');
    writeFileSync(moved, `${line({ source: 'x.prompt.md', costUsd: 0.5 })}\n`);
    const other = JSON.parse(cli(['report', '--ledger', 'elsewhere.jsonl', '--json'], folder).stdout) as CostReport;
    assert.deepEqual(other.spend.month, { usd: 0.5, knownUsd: 0.5, unpriced: 0 });

    const text = cli(['report'], folder);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /month to date \$0\.00375 \+ 1 of unknown cost/);
    assert.match(text.stdout, /Response cache hits\s+1 cache hits\s+\$0\.00200\s+50%/);
    assert.match(text.stdout, /Budget: .* \(94%, warning\)/);
  });

  it('an empty folder says how to get the first numbers; bad arguments exit 2', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'pm-cli-report-empty-'));
    folders.push(empty);
    const text = cli(['report'], empty);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /no entries yet/);
    assert.equal((JSON.parse(cli(['report', '--json'], empty).stdout) as CostReport).ledger.entries, 0);
    assert.equal(cli(['report', '--since', 'last tuesday'], empty).code, 2);
    assert.equal(cli(['report', '--range', 'year'], empty).code, 2);
  });
});
