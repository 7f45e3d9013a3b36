import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseDataset } from '../../src/core/runs/dataset';
import { estimateDatasetRuns } from '../../src/core/runs/datasetEstimate';
import { expandJobs } from '../../src/core/runs/expandJobs';
import { loadedTokenizers, testEstimator } from '../support/estimator';

const tokenizers = loadedTokenizers();

const PROMPT =
  '---\nmodel: gpt-4o-mini\nmax_tokens: 40\ndata: rows.csv\nvariables:\n  question: x\n---\nAnswer: {{question}}\n';

describe('estimateDatasetRuns', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-dataset-'));
  const csv = `question\n${Array.from({ length: 450 }, (_, index) => `"Question ${index}: ${'why '.repeat(index % 17)}?"`).join('\n')}\n`;
  writeFileSync(path.join(folder, 'rows.csv'), csv);
  const file = path.join(folder, 'ask.prompt.md');
  writeFileSync(file, PROMPT);

  it('sums every row, in slices, to what expanding all rows at once gives', async () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse('ask.prompt.md', PROMPT, 'prompt-markdown');
    const options = estimator.options(undefined, false);
    const estimates = await estimateDatasetRuns(parsed, file, options, {});
    const dataset = estimates!.get('ask.prompt.md')!;
    const { jobs } = expandJobs([parsed], {
      estimate: options,
      overrides: {},
      datasetFor: () => parseDataset('rows.csv', csv),
    });
    assert.equal(dataset.rows, 450);
    assert.equal(
      dataset.inputTokens,
      jobs.reduce((sum, job) => sum + job.estimate.inputTokens, 0),
    );
    assert.ok(Math.abs(dataset.total! - jobs.reduce((sum, job) => sum + job.estimate.costUsd!, 0)) < 1e-12);
    assert.deepEqual(dataset.problems, []);
  });

  it('stops between slices when cancelled', async () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse('ask.prompt.md', PROMPT, 'prompt-markdown');
    assert.equal(
      await estimateDatasetRuns(parsed, file, estimator.options(undefined, false), {}, () => true),
      undefined,
    );
  });

  it('names a dataset that cannot be read', async () => {
    const estimator = testEstimator(tokenizers);
    const text = PROMPT.replace('rows.csv', 'missing.csv');
    const estimates = await estimateDatasetRuns(
      estimator.parse('ask.prompt.md', text, 'prompt-markdown'),
      file,
      estimator.options(undefined, false),
      {},
    );
    const dataset = estimates!.get('ask.prompt.md')!;
    assert.equal(dataset.rows, 0);
    assert.match(dataset.problems.join(' '), /missing\.csv.*could not be read/);
  });
});

describe('inline testData and missing columns', () => {
  const yml = [
    'model: openai/gpt-4o-mini',
    'modelParameters:',
    '  maxTokens: 30',
    'messages:',
    '  - role: user',
    '    content: "Summarize: {{ticket}}"',
    'testData:',
    '  - ticket: short',
    '  - ticket: a much longer ticket text that has quite a few more words in it than the first one',
    '',
  ].join('\n');

  it('GitHub Models testData rows are the dataset of the × rows estimate, each row with its own values', async () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse('sum.prompt.yml', yml, 'github-models');
    const estimates = await estimateDatasetRuns(
      parsed,
      '/nonexistent/sum.prompt.yml',
      estimator.options(undefined, false),
      {},
    );
    const dataset = estimates!.get('sum.prompt.yml')!;
    assert.equal(dataset.dataFile, 'testData');
    assert.equal(dataset.rows, 2);
    const single = estimator.options(undefined, false);
    const { jobs } = expandJobs([parsed], {
      estimate: single,
      overrides: {},
      datasetFor: () => parseDataset('x.jsonl', '{"ticket":"short"}\n'),
    });
    assert.ok(dataset.inputTokens > 2 * jobs[0]!.estimate.inputTokens, 'the second row is longer than the first');
  });

  it('a row without a column a variable needs is a problem naming column, row and file, and is not sent', () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse(
      'ask.prompt.md',
      '---\nmodel: gpt-4o-mini\ndata: rows.jsonl\n---\nPlan {{plan}}: {{question}}\n',
      'prompt-markdown',
    );
    const dataset = parseDataset('rows.jsonl', '{"question":"a","plan":"Team"}\n{"question":"b"}\n');
    const { jobs, problems } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => dataset,
    });
    assert.deepEqual(
      jobs.map((job) => job.row),
      [1],
    );
    assert.equal(problems.length, 1);
    assert.match(
      problems[0]!,
      /^ask\.prompt\.md: row 2 of rows\.jsonl has no "plan" column, which \{\{plan\}\} needs; the row is not sent/,
    );
  });

  it('a Prompty input with a default needs no column', () => {
    const estimator = testEstimator(tokenizers);
    const text =
      '---\nmodel: gpt-4o-mini\ndata: rows.jsonl\ninputs:\n  plan:\n    default: Team\n  question:\n    type: string\n---\nuser:\n{{plan}}: {{question}}\n';
    const parsed = estimator.parse('ask.prompty', text, 'prompty');
    const dataset = parseDataset('rows.jsonl', '{"question":"why?"}\n{"plan":"Pro"}\n');
    const { jobs, problems } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => dataset,
    });
    assert.deepEqual(
      jobs.map((job) => job.row),
      [1],
    );
    assert.match(problems[0]!, /row 2 of rows\.jsonl has no "question" column/);
    const request = jobs[0]!.request;
    assert.ok('messages' in request);
    assert.equal(request.messages[0]!.content, 'Team: why?');
  });
});
