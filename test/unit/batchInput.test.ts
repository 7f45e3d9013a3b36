import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBatchInput, customIdFor } from '../../src/core/batchApi/batchInput';
import { nextPollDelay } from '../../src/core/batchApi/batchPolling';
import { collectLine, parseBatchLines } from '../../src/core/batchApi/batchResults';
import type { PriceUsage } from '../../src/core/client/priceUsage';
import type { JobResult, RunJob } from '../../src/core/runs/runJob';
import { chatJob } from '../support/runJobs';

const embeddingJob = (id: string, input: string | string[]): RunJob => ({
  id,
  file: 'e.jsonl',
  endpoint: 'embeddings',
  model: 'text-embedding-3-small',
  request: { model: 'text-embedding-3-small', input },
  estimate: { inputTokens: 1, outputTokens: 0, costUsd: 0, batchCostUsd: 0 },
  dedupeKey: `e:${JSON.stringify(input)}`,
  question: String(input),
});
const done = (jobId: string, error?: string): JobResult => ({
  jobId,
  file: 'f',
  model: 'gpt-4o-mini',
  output: error ? '' : 'ok',
  costUsd: 0,
  cache: 'batch',
  finishedAt: '2026-01-01T00:00:00Z',
  usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 },
  ...(error ? { error: { message: error } } : {}),
});
const lines = (jsonl: string) =>
  jsonl
    .trimEnd()
    .split('\n')
    .map(
      (line) => JSON.parse(line) as { custom_id: string; method: string; url: string; body: Record<string, unknown> },
    );

describe('buildBatchInput', () => {
  it('sends one line per distinct request, with the job id as custom_id and the exact request as body', () => {
    const jobs = [
      chatJob('faq.md#row-1', 'q1'),
      chatJob('faq.md#row-2', 'q2'),
      chatJob('faq.md#row-3', 'q1'),
      chatJob('faq.md#row-4', 'q1'),
    ];
    const input = buildBatchInput(jobs);
    assert.equal(input.parts.length, 1);
    const part = input.parts[0]!;
    assert.equal(part.endpoint, '/v1/chat/completions');
    const sent = lines(part.jsonl);
    assert.deepEqual(
      sent.map((line) => line.custom_id),
      ['faq.md#row-1', 'faq.md#row-2'],
    );
    assert.deepEqual(sent[0], {
      custom_id: 'faq.md#row-1',
      method: 'POST',
      url: '/v1/chat/completions',
      body: jobs[0]!.request,
    });
    assert.deepEqual(
      input.schedule.followersOf('faq.md#row-1').map((job) => job.id),
      ['faq.md#row-3', 'faq.md#row-4'],
    );
    assert.equal(input.customIdToJob.get('faq.md#row-2'), jobs[1]);
    assert.ok(part.jsonl.endsWith('\n'));
  });

  it('skips answered jobs, resends failed ones, and fills jobs identical to an answered one without a line', () => {
    const jobs = [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q3'), chatJob('d', 'q1')];
    const input = buildBatchInput(
      jobs,
      new Map([
        ['a', done('a')],
        ['b', done('b', 'server error')],
      ]),
    );
    assert.deepEqual(
      input.parts.flatMap((part) => part.customIds),
      ['b', 'c'],
    );
    assert.deepEqual(
      input.schedule.answeredNow.map((item) => item.follower.id),
      ['d'],
    );
  });

  it('makes one batch per endpoint and asks embeddings for float vectors', () => {
    const input = buildBatchInput([chatJob('c1', 'q'), embeddingJob('e1', 'text'), chatJob('c2', 'r')]);
    assert.deepEqual(
      input.parts.map((part) => [part.key, part.endpoint, part.customIds]),
      [
        ['chat-1', '/v1/chat/completions', ['c1', 'c2']],
        ['embeddings-1', '/v1/embeddings', ['e1']],
      ],
    );
    assert.equal(lines(input.parts[1]!.jsonl)[0]!.body['encoding_format'], 'float');
  });

  it('splits a part at the line, byte and embedding-input limits', () => {
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => chatJob(id, `question ${id}`));
    const byLines = buildBatchInput(jobs, new Map(), {
      limits: { maxLines: 2, maxBytes: 1e9, maxEmbeddingInputs: 1e9 },
    });
    assert.deepEqual(
      byLines.parts.map((part) => part.customIds.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      byLines.parts.map((part) => part.key),
      ['chat-1', 'chat-2', 'chat-3'],
    );
    const lineBytes = Buffer.byteLength(buildBatchInput([jobs[0]!]).parts[0]!.jsonl);
    const byBytes = buildBatchInput(jobs, new Map(), {
      limits: { maxLines: 100, maxBytes: lineBytes * 3 + 2, maxEmbeddingInputs: 1e9 },
    });
    assert.deepEqual(
      byBytes.parts.map((part) => part.customIds.length),
      [3, 2],
    );
    const embeddings = [embeddingJob('e1', ['a', 'b', 'c']), embeddingJob('e2', ['d', 'e']), embeddingJob('e3', 'f')];
    const byInputs = buildBatchInput(embeddings, new Map(), {
      limits: { maxLines: 100, maxBytes: 1e9, maxEmbeddingInputs: 4 },
    });
    assert.deepEqual(
      byInputs.parts.map((part) => part.customIds),
      [['e1'], ['e2', 'e3']],
    );
  });

  it('leaves accepted similar questions out; they reuse their leader', () => {
    const input = buildBatchInput(
      [chatJob('a', 'How do I reset my password?'), chatJob('b', 'how can I reset my password')],
      new Map(),
      { semanticFollowers: new Map([['b', 'a']]) },
    );
    assert.deepEqual(input.parts[0]!.customIds, ['a']);
    assert.deepEqual(
      input.schedule.followersOf('a').map((job) => job.id),
      ['b'],
    );
  });
});

describe('customIdFor', () => {
  it('keeps short visible-ASCII ids (with # and /) and hashes the rest to a stable short id', () => {
    assert.equal(customIdFor('prompts/faq.prompt.md#row-12'), 'prompts/faq.prompt.md#row-12');
    const long = `prompts/${'deep/'.repeat(20)}faq.prompt.md#row-1`;
    assert.match(customIdFor(long), /^pm-[0-9a-f]{24}$/);
    assert.equal(customIdFor(long), customIdFor(long));
    assert.notEqual(customIdFor(long), customIdFor(`${long}0`));
    assert.match(customIdFor('prompts/café.md'), /^pm-/);
    assert.match(customIdFor('with space'), /^pm-/);
    const input = buildBatchInput([chatJob(long, 'q')]);
    assert.equal(input.customIdToJob.get(customIdFor(long))?.id, long);
  });
});

describe('batch output lines', () => {
  const output = [
    {
      id: 'r1',
      custom_id: 'a',
      response: {
        status_code: 200,
        request_id: 'q',
        body: { choices: [{ message: { content: 'hi' } }], usage: { prompt_tokens: 1000, completion_tokens: 500 } },
      },
      error: null,
    },
    'torn {',
  ]
    .map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
    .join('\n');
  const errors = [
    {
      id: 'r2',
      custom_id: 'b',
      response: { status_code: 500, request_id: 'q', body: { error: { message: 'server had an error', code: null } } },
      error: null,
    },
    { id: 'r3', custom_id: 'c', response: null, error: { code: 'batch_expired', message: 'expired' } },
    { id: 'r4', custom_id: 'd', response: null, error: { code: 'batch_cancelled', message: 'cancelled' } },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');

  it('tells answers, failures and lines that never ran apart', () => {
    const outcomes = parseBatchLines(output, errors);
    assert.equal(outcomes.get('a')?.kind, 'answered');
    assert.deepEqual(outcomes.get('b'), { kind: 'failed', error: { status: 500, message: 'server had an error' } });
    assert.deepEqual(outcomes.get('c'), { kind: 'notRun', code: 'batch_expired' });
    assert.deepEqual(outcomes.get('d'), { kind: 'notRun', code: 'batch_cancelled' });
    assert.equal(outcomes.size, 4);
  });

  it('prices an answered line at Batch rates and a failed line at 0', () => {
    const seen: boolean[] = [];
    const priceUsage: PriceUsage = (_model, usage, options) => {
      seen.push(options.batchApi);
      return {
        costUsd: ((usage.promptTokens * 0.15 + usage.completionTokens * 0.6) / 1e6) * (options.batchApi ? 0.5 : 1),
        priceSource: 'test',
      };
    };
    const context = { runId: 'run', batchId: 'batch_1', now: () => new Date('2026-01-01T00:00:00Z'), priceUsage };
    const outcomes = parseBatchLines(output, errors);
    const answered = collectLine(chatJob('a', 'q'), outcomes.get('a') as never, context);
    assert.equal(answered.result.output, 'hi');
    assert.equal(answered.result.cache, 'batch');
    assert.equal(answered.result.costUsd, (1000 * 0.15 + 500 * 0.6) / 1e6 / 2);
    assert.deepEqual(seen, [true]);
    assert.equal(answered.entry.batchApi, true);
    assert.equal(answered.entry.cache, 'miss');
    assert.equal(answered.entry.costUsd, answered.result.costUsd);
    const failed = collectLine(chatJob('b', 'q'), outcomes.get('b') as never, context);
    assert.equal(failed.result.costUsd, 0);
    assert.equal(failed.entry.outcome, 'error');
    assert.equal(failed.result.error?.message, 'server had an error');
  });
});

describe('nextPollDelay', () => {
  it('grows by half from about a second and stays at the cap', () => {
    const delays = [1_000];
    for (let poll = 0; poll < 12; poll++) delays.push(nextPollDelay(delays.at(-1)!, 60_000));
    assert.deepEqual(delays.slice(0, 4), [1_000, 1_500, 2_250, 3_375]);
    assert.equal(delays.at(-1), 60_000);
    assert.ok(delays.every((delay, index) => index === 0 || delay >= delays[index - 1]!));
  });
});
