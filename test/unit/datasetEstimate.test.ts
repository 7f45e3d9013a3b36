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

const PROMPT = '---\nmodel: gpt-4o-mini\nmax_tokens: 40\ndata: rows.csv\nvariables:\n  question: x\n---\nAnswer: {{question}}\n';

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
    const { jobs } = expandJobs([parsed], { estimate: options, overrides: {}, datasetFor: () => parseDataset('rows.csv', csv) });
    assert.equal(dataset.rows, 450);
    assert.equal(dataset.inputTokens, jobs.reduce((sum, job) => sum + job.estimate.inputTokens, 0));
    assert.ok(Math.abs(dataset.total! - jobs.reduce((sum, job) => sum + job.estimate.costUsd!, 0)) < 1e-12);
    assert.deepEqual(dataset.problems, []);
  });

  it('stops between slices when cancelled', async () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse('ask.prompt.md', PROMPT, 'prompt-markdown');
    assert.equal(await estimateDatasetRuns(parsed, file, estimator.options(undefined, false), {}, () => true), undefined);
  });

  it('names a dataset that cannot be read', async () => {
    const estimator = testEstimator(tokenizers);
    const text = PROMPT.replace('rows.csv', 'missing.csv');
    const estimates = await estimateDatasetRuns(estimator.parse('ask.prompt.md', text, 'prompt-markdown'), file, estimator.options(undefined, false), {});
    const dataset = estimates!.get('ask.prompt.md')!;
    assert.equal(dataset.rows, 0);
    assert.match(dataset.problems.join(' '), /missing\.csv.*could not be read/);
  });
});
