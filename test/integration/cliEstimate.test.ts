import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repositoryRoot } from '../support/repository';

const root = repositoryRoot();

function cli(args: string[], cwd = root) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'promptmeter.js'), ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('promptmeter estimate', () => {
  it('--json prints exactly one object in the documented shape for the examples folder', () => {
    const { code, stdout } = cli(['estimate', 'examples/', '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.ok(report.prompts.length >= 12);
    for (const prompt of report.prompts) {
      for (const key of [
        'file',
        'id',
        'model',
        'encoding',
        'inputTokens',
        'maxOutputTokens',
        'cost',
        'priceKnown',
        'recommendation',
      ])
        assert.ok(key in prompt, `missing ${key}`);
      assert.ok(Number.isInteger(prompt.inputTokens) && prompt.inputTokens > 0);
      if (prompt.priceKnown) {
        for (const key of ['input', 'outputMax', 'total', 'batchTotal'])
          assert.equal(typeof prompt.cost[key], 'number');
        assert.equal(prompt.cost.currency, 'USD');
      } else assert.equal(prompt.cost, null);
    }
    const batch = report.prompts.filter((prompt: { file: string }) => prompt.file.endsWith('.batch.jsonl'));
    assert.ok(
      batch.length >= 25 && batch.every((prompt: { id: string; file: string }) => prompt.id !== prompt.file),
      'batch lines are identified by custom_id',
    );
    const sum = report.prompts.reduce(
      (total: number, prompt: { inputTokens: number }) => total + prompt.inputTokens,
      0,
    );
    assert.equal(report.totals.inputTokens, sum);
    assert.equal(report.totals.prompts, report.prompts.length);
    assert.match(report.pricesAsOf, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('npx promptmeter runs the package bin (as after npm ci)', () => {
    const result = spawnSync(
      'npx',
      ['--no-install', 'promptmeter', 'estimate', 'examples/prompts/faq-answer.prompt.md', '--json'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).prompts[0].file, 'examples/prompts/faq-answer.prompt.md');
  });

  it('--model estimates every prompt on that model', () => {
    const { stdout } = cli(['estimate', 'examples/prompts/faq-answer.prompt.md', '--model', 'gpt-4.1', '--json']);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.prompts.map((prompt: { model: string }) => prompt.model),
      ['gpt-4.1'],
    );
  });

  it('bad arguments: a message and exit 2', () => {
    for (const args of [
      ['estimate'],
      ['estimate', '--model'],
      ['estimate', 'examples', '--bogus'],
      ['frobnicate'],
      ['estimate', 'no/such/path'],
    ]) {
      const { code, stderr } = cli(args);
      assert.equal(code, 2, `${args.join(' ')} → ${code}`);
      assert.match(stderr, /promptmeter: .+/);
    }
  });

  it('a broken file exits 1 and names the line; an unknown model is "price unknown"', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'pm-cli-'));
    writeFileSync(path.join(directory, 'broken.prompt.md'), '---\nmodel: gpt-4o\n  bad: [indent\n---\nHi\n');
    writeFileSync(path.join(directory, 'unknown.prompt.md'), '---\nmodel: gpt-9-ultra\nmax_tokens: 5\n---\nHi\n');
    const { code, stdout } = cli(['estimate', '.'], directory);
    assert.equal(code, 1);
    assert.match(stdout, /broken\.prompt\.md:[23]\s+error/);
    assert.match(stdout, /gpt-9-ultra.*price unknown/);
  });

  it('a 10 MB file and a binary file are skipped with a reason, and the other prompts are still estimated', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'pm-cli-'));
    writeFileSync(
      path.join(directory, 'huge.prompt.md'),
      `---\nmodel: gpt-4o-mini\n---\n${'lorem ipsum dolor sit amet '.repeat(400_000)}`,
    );
    writeFileSync(
      path.join(directory, 'image.prompt.md'),
      Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 256)),
    );
    writeFileSync(path.join(directory, 'fine.prompt.md'), '---\nmodel: gpt-4o-mini\nmax_tokens: 5\n---\nHi\n');
    const { code, stdout } = cli(['estimate', '.'], directory);
    assert.equal(code, 0);
    assert.match(stdout, /Total: 1 prompts/);
    assert.match(
      stdout,
      /Skipped:\n(?:.*\n)*\s+huge\.prompt\.md\s+Not estimated: this file is 10\.\d MB, above the 2\.0 MB limit\. Raise promptmeter\.maxFileSizeMB/,
    );
    assert.match(stdout, /image\.prompt\.md\s+Not estimated: this file looks binary/);
  });

  it('a prompt with a dataset shows what running every row costs, each row with its own values', () => {
    const { code, stdout } = cli(['estimate', 'examples/prompts/faq-from-dataset.prompt.md', '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    const [prompt] = report.prompts;
    const rows =
      readFileSync(path.join(root, 'examples', 'data', 'faq-questions.csv'), 'utf8')
        .trim()
        .split('\n').length - 1;
    assert.equal(prompt.dataset.rows, rows);
    assert.equal(prompt.dataset.file, '../data/faq-questions.csv');
    assert.notEqual(prompt.dataset.inputTokens, rows * prompt.inputTokens, 'not the sample row copied to every row');
    assert.ok(
      prompt.dataset.total > prompt.cost.total * rows * 0.5 && prompt.dataset.total < prompt.cost.total * rows * 2,
    );
    assert.ok(Math.abs(prompt.dataset.batchTotal - prompt.dataset.total / 2) < 1e-12);
    assert.deepEqual(report.totals.run, {
      calls: rows,
      inputTokens: prompt.dataset.inputTokens,
      total: prompt.dataset.total,
      batchTotal: prompt.dataset.batchTotal,
      unpricedCalls: 0,
    });
    const text = cli(['estimate', 'examples/prompts/faq-from-dataset.prompt.md']).stdout;
    assert.match(text, new RegExp(`↳ × ${rows} rows of \\.\\./data/faq-questions\\.csv: [\\d,]+ input tokens, ~\\$`));
    assert.match(text, new RegExp(`Running them all .*: ${rows} calls`));
  });
});
