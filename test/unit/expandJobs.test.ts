import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDataset } from '../../src/core/runs/dataset';
import { expandJobs } from '../../src/core/runs/expandJobs';
import { loadedTokenizers, testEstimator } from '../support/estimator';

const tokenizers = loadedTokenizers();

describe('expandJobs', () => {
  it('estimates each dataset row with its own values, not the sample value copied to every row', async () => {
    const estimator = testEstimator(tokenizers);
    const text =
      '---\nmodel: gpt-4o-mini\nmax_tokens: 50\ndata: rows.csv\nvariables:\n  question: hi\n---\nAnswer: {{question}}\n';
    const parsed = estimator.parse('ask.prompt.md', text, 'prompt-markdown');
    const longQuestion =
      'why does the export of a very large project with many attachments time out after ten minutes '.repeat(20);
    const dataset = parseDataset('rows.csv', `question\nhi\n"${longQuestion}"\n`);
    const { jobs, problems } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => dataset,
    });
    assert.deepEqual(problems, []);
    assert.equal(jobs.length, 2);
    const [short, long] = jobs;
    const sampleEstimate = (await estimator.estimate(parsed, text)).estimates[0]!;
    assert.equal(short!.estimate.inputTokens, sampleEstimate.inputTokens, 'row "hi" equals the sample value "hi"');
    const extra = tokenizers.peek('o200k_base')!.count(longQuestion) - tokenizers.peek('o200k_base')!.count('hi');
    assert.ok(
      Math.abs(long!.estimate.inputTokens - short!.estimate.inputTokens - extra) <= 2,
      `long row: ${long!.estimate.inputTokens} vs ${short!.estimate.inputTokens} + ${extra}`,
    );
    assert.ok(long!.estimate.costUsd! > short!.estimate.costUsd!);
    assert.equal(long!.estimate.outputTokens, 50);
  });
});
