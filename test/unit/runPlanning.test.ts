import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDataset } from '../../src/core/runs/dataset';
import type { JobResult } from '../../src/core/runs/runJob';
import { planRun } from '../../src/core/runs/runPlan';
import { pendingJobs } from '../../src/core/runs/runSchedule';
import {
  compatibleQuestions,
  cosineSimilarity,
  followersOf,
  groupSimilarJobs,
} from '../../src/core/runs/similarQuestions';
import { chatJob } from '../support/runJobs';

function done(jobId: string, error?: string): JobResult {
  return {
    jobId,
    file: 'f',
    model: 'gpt-4o-mini',
    output: `answer ${jobId}`,
    costUsd: error ? 0 : 0.0001,
    cache: 'miss',
    usage: { promptTokens: 20, cachedTokens: 0, completionTokens: 10, reasoningTokens: 0 },
    finishedAt: '2026-11-26T00:00:00Z',
    ...(error ? { error: { message: error } } : {}),
  };
}

describe('datasets', () => {
  it('reads CSV with quotes, doubled quotes and newlines inside cells', () => {
    const dataset = parseDataset(
      'faq.csv',
      'question,locale\n"Can I pay by ""invoice""?",en\n"Line one\nline two",de\n',
    );
    assert.deepEqual(dataset.columns, ['question', 'locale']);
    assert.deepEqual(dataset.rows, [
      { question: 'Can I pay by "invoice"?', locale: 'en' },
      { question: 'Line one\nline two', locale: 'de' },
    ]);
    assert.deepEqual(dataset.problems, []);
  });
  it('skips a row with the wrong number of cells and names its line', () => {
    const dataset = parseDataset('faq.csv', 'a,b\n1,2\n3\n4,5\n');
    assert.equal(dataset.rows.length, 2);
    assert.deepEqual(dataset.problems, ['line 3: 1 cells, the header has 2; row skipped.']);
  });
  it('reads JSONL rows and reports a broken line', () => {
    const dataset = parseDataset('rows.jsonl', '{"q": "a", "n": 2}\nnot json\n{"q": "b"}\n');
    assert.deepEqual(dataset.rows, [{ q: 'a', n: '2' }, { q: 'b' }]);
    assert.match(dataset.problems[0]!, /^line 2: /);
  });
});

describe('what a (re)run sends', () => {
  it('sends one call per identical request and lets the duplicates follow it', () => {
    const jobs = [
      chatJob('a', 'How do I reset my password?'),
      chatJob('b', 'Where is my invoice?'),
      chatJob('c', 'How do I reset my password?'),
    ];
    const schedule = pendingJobs(jobs, new Map(), new Map());
    assert.deepEqual(
      schedule.leaders.map((job) => job.id),
      ['a', 'b'],
    );
    assert.deepEqual(
      schedule.followersOf('a').map((job) => job.id),
      ['c'],
    );
    assert.equal(schedule.pendingCount, 3);
  });
  it('on resume sends only jobs without a successful result; an identical done job answers at once', () => {
    const jobs = [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q1'), chatJob('d', 'q3')];
    const results = new Map([
      ['a', done('a')],
      ['b', done('b', 'server error')],
    ]);
    const schedule = pendingJobs(jobs, results, new Map());
    assert.deepEqual(
      schedule.leaders.map((job) => job.id),
      ['b', 'd'],
    );
    assert.deepEqual(
      schedule.answeredNow.map(({ follower, leader }) => [follower.id, leader.jobId]),
      [['c', 'a']],
    );
    assert.equal(schedule.pendingCount, 3);
  });
  it('honours accepted similar jobs only when their leader is sent or answered', () => {
    const jobs = [
      chatJob('a', 'How do I reset my password?'),
      chatJob('b', 'how can I reset my password'),
      chatJob('c', 'orphan'),
    ];
    const schedule = pendingJobs(
      jobs,
      new Map(),
      new Map([
        ['b', 'a'],
        ['c', 'missing'],
      ]),
    );
    assert.deepEqual(
      schedule.leaders.map((job) => job.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      schedule.followersOf('a').map((job) => job.id),
      ['b'],
    );
    assert.equal(schedule.isSemantic('b'), true);
  });
});

describe('similar questions', () => {
  it('never groups across a negation, an antonym or differing numbers', () => {
    assert.equal(compatibleQuestions('How do I enable two-factor login?', 'How do I disable two-factor login?'), false);
    assert.equal(compatibleQuestions('Can I export my notes?', "Can't I export my notes?"), false);
    assert.equal(compatibleQuestions('Refund after 30 days?', 'Refund after 60 days?'), false);
    assert.equal(compatibleQuestions('How do I reset my password?', 'how can I reset my password'), true);
  });
  it('groups by embedding similarity within one prompt and model', () => {
    const vectors: Record<string, number[]> = {
      'How do I reset my password?': [1, 0, 0],
      'how can I reset my password': [0.98, 0.2, 0],
      'How do I disable login alerts?': [0.97, 0.1, 0.1],
      'How do I enable login alerts?': [0.97, 0.1, 0.12],
      'Where is my invoice?': [0, 1, 0],
    };
    const jobs = Object.keys(vectors).map((question, index) => chatJob(`j${index}`, question));
    jobs.push(
      chatJob('other-file', 'how can I reset my password', { file: 'prompts/other.prompt.md', dedupeKey: 'x' }),
    );
    const groups = groupSimilarJobs(jobs, (question) => vectors[question], { threshold: 0.95 });
    assert.deepEqual(groups, [
      { leader: 'j0', members: [{ jobId: 'j1', similarity: cosineSimilarity([1, 0, 0], [0.98, 0.2, 0]) }] },
    ]);
    assert.deepEqual([...followersOf(groups)], [['j1', 'j0']]);
  });
});

describe('planRun', () => {
  const limits = { requestsPerMinute: 600, tokensPerMinute: 100_000 };
  it('counts calls after duplicates, similar reuse and known cache hits; Batch API halves the cost', () => {
    const jobs = [
      chatJob('a', 'q1'),
      chatJob('b', 'q1'),
      chatJob('c', 'q2'),
      chatJob('d', 'q3'),
      chatJob('e', 'q4', { costUsd: null }),
    ];
    const plan = planRun({ jobs, limits, cached: new Set(['c']), similar: new Map([['d', 'a']]) });
    assert.equal(plan.jobs, 5);
    assert.equal(plan.duplicates, 1);
    assert.equal(plan.similarReused, 1);
    assert.equal(plan.knownCacheHits, 1);
    assert.equal(plan.calls, 2);
    assert.equal(plan.unpricedJobs, 1);
    assert.ok(Math.abs(plan.costUsd - 0.0001) < 1e-12, 'the unpriced job adds nothing, the priced call 0.0001');
    assert.ok(Math.abs(plan.batchCostUsd - 0.00005) < 1e-12);
    assert.ok(Math.abs(plan.naiveCostUsd - 0.0004) < 1e-12);
  });
  it('expects the binding limit: 600 calls at 600 RPM take a minute, unless tokens bind', () => {
    const jobs = Array.from({ length: 600 }, (_, index) => chatJob(`j${index}`, `question ${index}`));
    assert.equal(planRun({ jobs, limits }).expectedSeconds, 60);
    const tokenBound = planRun({ jobs, limits: { requestsPerMinute: 10_000, tokensPerMinute: 8_400 } });
    assert.equal(tokenBound.bindingLimit, 'tokens');
    assert.equal(tokenBound.expectedSeconds, (600 * 84 * 60) / 8_400);
  });
  it('gates on the per-run budget and skips jobs already done', () => {
    const jobs = [chatJob('a', 'q1'), chatJob('b', 'q2')];
    assert.equal(planRun({ jobs, limits, budgetUsd: 0.00015 }).budget?.exceeded, true);
    assert.equal(planRun({ jobs, limits, budgetUsd: 0.00015, done: new Set(['a']) }).budget?.exceeded, false);
  });
});
