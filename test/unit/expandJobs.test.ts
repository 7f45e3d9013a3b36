import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseDataset } from '../../src/core/runs/dataset';
import { Estimator } from '../../src/core/estimate/estimator';
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

describe('expandJobs: the context window', () => {
  // gpt-4 (8,192 tokens, cl100k_base): a window a test prompt can overflow.
  before(() => tokenizers.load('cl100k_base'));
  const longText = 'The quarterly report lists every open incident and its owner. '.repeat(1_000);

  it('a prompt larger than its model’s context window is refused before anything is sent, naming the window', () => {
    const estimator = testEstimator(tokenizers);
    const text = `---\nmodel: gpt-4\nmax_tokens: 200\n---\nSummarize:\n\n${longText}\n`;
    const parsed = estimator.parse('big.prompt.md', text, 'prompt-markdown');
    const { jobs, refused, problems } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => undefined,
    });
    assert.equal(jobs.length, 0);
    assert.equal(refused.length, 1);
    assert.match(
      refused[0]!.message,
      /needs [\d,]+ tokens \(input \+ max_tokens\), more than gpt-4's context window of 8,192/,
    );
    assert.match(problems[0]!, /^big\.prompt\.md:1: not sent — .* Fix: shorten it, split its document/);
  });

  it('a dataset prompt is judged row by row: only the row that overflows is refused', () => {
    const estimator = testEstimator(tokenizers);
    const text = '---\nmodel: gpt-4\nmax_tokens: 50\ndata: rows.csv\n---\nAnswer: {{question}}\n';
    const parsed = estimator.parse('ask.prompt.md', text, 'prompt-markdown');
    const dataset = parseDataset('rows.csv', `question\nWhat is SSO?\n"${longText}"\nHow do I export?\n`);
    const { jobs, refused } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => dataset,
    });
    assert.deepEqual(
      jobs.map((job) => job.id),
      ['ask.prompt.md#row-1', 'ask.prompt.md#row-3'],
    );
    assert.equal(refused.length, 1);
    assert.match(refused[0]!.message, /^row 2 needs [\d,]+ tokens/);
  });

  it('a long document split by chunk: is not refused (map-reduce sends it in parts)', () => {
    const text =
      '---\nmodel: gpt-4\nmax_tokens: 200\nchunk:\n  document: doc.md\n  maxWords: 500\n  map: "Summarize: {{chunk}}"\n  reduce: "Combine: {{partials}}"\n---\nSummarize the document.\n';
    const withDocument = new Estimator(
      tokenizers,
      { defaultModel: 'gpt-4o-mini', pricingOverrides: {}, maxFileBytes: 2 * 1024 * 1024 },
      () => new Date('2026-11-26T00:00:00Z'),
      () => longText,
    );
    const parsed = withDocument.parse('split.prompt.md', text, 'prompt-markdown');
    const { jobs, refused } = expandJobs([parsed], {
      estimate: withDocument.options(undefined, false),
      overrides: {},
      datasetFor: () => undefined,
    });
    assert.equal(refused.length, 0);
    assert.equal(jobs.length, 1);
    assert.ok(jobs[0]!.mapReduce);
  });
});
