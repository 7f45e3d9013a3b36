import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { comparisonLabel } from '../../src/core/compare/comparisonLabel';
import { ComparisonStore, promptTextHash } from '../../src/core/compare/comparisonStore';
import type { ComparisonCandidate, RowAnswer } from '../../src/core/compare/compareTypes';
import { monthlyCalls } from '../../src/core/compare/monthlyVolume';
import { scoreAnswers, type ScoringServices } from '../../src/core/compare/scoreAnswers';
import { summarizeComparison } from '../../src/core/compare/summarizeComparison';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';

const rows = Array.from({ length: 10 }, (_, index) => ({
  number: index + 1,
  values: { text: `ticket ${index + 1}`, expected: 'billing' },
}));

function answer(
  model: string,
  row: number,
  text: string,
  standardUsd: number | null,
  extra: Partial<RowAnswer> = {},
): RowAnswer {
  return {
    row,
    model,
    text,
    truncated: false,
    cached: false,
    latencyMs: row * 10,
    costUsd: standardUsd,
    standardUsd,
    batchUsd: standardUsd === null ? null : standardUsd / 2,
    reasoningTokens: 0,
    ...extra,
  };
}

const candidates: ComparisonCandidate[] = [
  { model: 'big', changes: [], estimatedRowUsd: 0.01 },
  { model: 'mid', changes: [{ kind: 'set-model', model: 'mid' }], estimatedRowUsd: 0.004 },
  { model: 'small', changes: [{ kind: 'set-model', model: 'small' }], estimatedRowUsd: 0.001 },
  { model: 'unpriced', changes: [{ kind: 'set-model', model: 'unpriced' }], estimatedRowUsd: null },
];

/** Unit vectors: texts starting alike point alike. */
const services: ScoringServices = {
  embed: async (texts) => ({
    vectors: texts.map((text) => (text.startsWith('A') ? [1, 0] : [0.6, 0.8])),
    costUsd: 0.0001,
  }),
  judge: async () => ({ text: 'good', costUsd: 0.002 }),
};

describe('scoring and the recommendation', () => {
  const answers: RowAnswer[] = [];
  for (const row of rows) {
    answers.push(answer('big', row.number, 'billing', 0.01));
    // mid agrees on 9 of 10; small on 7 of 10 (one truncated, one empty); unpriced on all.
    answers.push(answer('mid', row.number, row.number === 4 ? 'bug' : 'Billing.', 0.004));
    const smallText = row.number <= 7 ? 'billing' : row.number === 8 ? 'billing' : row.number === 9 ? '' : 'bug';
    answers.push(answer('small', row.number, smallText, 0.001, row.number === 8 ? { truncated: true } : {}));
    answers.push(answer('unpriced', row.number, 'billing', null));
  }

  it('agreement: the cheapest model at or above the threshold is recommended; unknown prices never are', async () => {
    const scoring = await scoreAnswers(
      answers,
      { task: 'classify', rows, referenceModel: 'big', similarityThreshold: 0.85 },
      services,
    );
    const { result, disagreements } = summarizeComparison({
      candidates,
      answers,
      scoring,
      reference: 'big',
      threshold: 0.9,
      rows: 10,
      monthlyCalls: 3000,
    });
    const byModel = Object.fromEntries(result.models.map((model) => [model.model, model]));
    assert.deepEqual(
      [byModel.big!.passed, byModel.mid!.passed, byModel.small!.passed, byModel.unpriced!.passed],
      [10, 9, 7, 10],
    );
    assert.equal(byModel.small!.truncated, 1);
    assert.equal(
      result.recommended,
      'mid',
      'small is cheaper but agrees on 70%; unpriced agrees fully but has no price',
    );
    assert.equal(
      summarizeComparison({ candidates, answers, scoring, reference: 'big', threshold: 0.7, rows: 10 }).result
        .recommended,
      'small',
    );
    for (const model of result.models)
      assert.ok(model.interval[0] <= model.passRate && model.passRate <= model.interval[1]);
    assert.ok(Math.abs(byModel.mid!.costPer1kRows.standard! - 4) < 1e-9);
    assert.ok(Math.abs(byModel.mid!.costPer1kRows.batch! - 2) < 1e-9);
    assert.equal(byModel.unpriced!.costPer1kRows.standard, null);
    assert.ok(Math.abs(byModel.mid!.monthlySavingUsd! - (0.01 - 0.004) * 3000) < 1e-9);
    assert.equal(byModel.big!.latencyP50Ms, 50);
    assert.equal(byModel.big!.latencyP95Ms, 100);
    const allCached = summarizeComparison({
      candidates,
      answers: answers.map((item) => ({ ...item, cached: true })),
      scoring,
      reference: 'big',
      threshold: 0.9,
      rows: 10,
    });
    assert.equal(allCached.result.models[0]!.latencyP50Ms, null, "cache hits say nothing about a model's latency");
    assert.equal(result.judgeCostUsd, 0, 'exact agreement needs no embeddings');
    assert.deepEqual(
      disagreements.map((item) => item.row),
      [4, 8, 9, 10],
    );
    assert.match(disagreements[1]!.answers.small!.detail, /truncated/);
  });

  it('a row whose reference answer failed is not counted for the candidates', async () => {
    const failedReference = answers.map((item) =>
      item.model === 'big' && item.row === 1 ? { ...item, error: 'HTTP 500' } : item,
    );
    const scoring = await scoreAnswers(
      failedReference,
      { task: 'classify', rows, referenceModel: 'big', similarityThreshold: 0.85 },
      services,
    );
    const { result } = summarizeComparison({
      candidates,
      answers: failedReference,
      scoring,
      reference: 'big',
      threshold: 0.9,
      rows: 10,
    });
    const mid = result.models.find((model) => model.model === 'mid')!;
    assert.equal(mid.total, 9);
    assert.equal(result.models[0]!.passed, 9);
    assert.equal(result.models[0]!.total, 10);
  });

  it('free text is compared by embedding similarity with the threshold shown; its embeddings cost counts', async () => {
    const text = [
      answer('big', 1, 'A fox jumped.', 0.01),
      answer('mid', 1, 'A fox leapt.', 0.004),
      answer('small', 1, 'The dog slept.', 0.001),
    ];
    const scoring = await scoreAnswers(
      text,
      { task: 'summarize', rows: rows.slice(0, 1), referenceModel: 'big', similarityThreshold: 0.85 },
      services,
    );
    assert.equal(scoring.scores.get('mid#1')!.passed, true);
    assert.equal(scoring.scores.get('small#1')!.passed, false);
    assert.match(scoring.scores.get('small#1')!.detail, /similarity 0\.60 < 0\.85/);
    assert.match(scoring.scoring, /embedding cosine ≥ 0\.85/);
    assert.equal(scoring.judgeCostUsd, 0.0001);
  });

  it("evaluators: all must pass, the judge's cost is counted, the reference is 'evaluators'", async () => {
    const evaluators = [
      { name: 'label', string: { equals: '{{expected}}' } },
      {
        name: 'judge',
        llm: {
          modelId: 'judge',
          prompt: '{{completion}}',
          choices: [
            { choice: 'good', score: 1 },
            { choice: 'bad', score: 0 },
          ],
        },
      },
    ];
    const some = answers.filter((item) => item.row <= 2);
    const scoring = await scoreAnswers(
      some,
      { task: 'classify', rows, evaluators, referenceModel: 'big', similarityThreshold: 0.85 },
      services,
    );
    assert.equal(scoring.usedEvaluators, true);
    assert.equal(scoring.scores.get('mid#1')!.passed, false, '"Billing." is not equal to "billing"');
    assert.equal(scoring.scores.get('big#1')!.passed, true);
    const judged = some.length;
    assert.ok(Math.abs(scoring.judgeCostUsd! - 0.002 * judged) < 1e-12);
  });

  it("monthly volume: the prompt's own answered chat calls in the last 30 days, never comparison calls", () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const entry = (time: string, source: string, outcome: LedgerEntry['outcome'] = 'ok') =>
      ({ time, source, outcome, endpoint: 'chat.completions' }) as LedgerEntry;
    const entries = [
      entry('2026-11-30T00:00:00Z', 'p.md'),
      entry('2026-11-20T00:00:00Z', 'p.md'),
      entry('2026-10-01T00:00:00Z', 'p.md'),
      entry('2026-11-30T00:00:00Z', 'compare:p.md'),
      entry('2026-11-30T00:00:00Z', 'p.md', 'error'),
    ];
    assert.equal(monthlyCalls(entries, 'p.md', now), 2);
    assert.equal(monthlyCalls(entries, 'other.md', now), undefined);
  });
});

describe('saved comparisons', () => {
  it('label the recommendation "tested: passed/total pass" for the prompt text they ran on, "untested" otherwise', () => {
    const store = new ComparisonStore(path.join(mkdtempSync(path.join(tmpdir(), 'pm-comparisons-')), 'comparisons'));
    const line = {
      model: 'mid',
      passed: 19,
      total: 20,
      passRate: 0.95,
      interval: [0.76, 0.99] as const,
      costUsd: 0,
      costPer1kRows: { standard: 1, batch: 0.5 },
      latencyP50Ms: 1,
      latencyP95Ms: 2,
      reasoningTokens: 0,
      truncated: 0,
      edits: [],
      monthlySavingUsd: null,
    };
    const saved = {
      rows: 20,
      reference: 'big',
      threshold: 0.9,
      models: [line],
      recommended: 'mid',
      judgeCostUsd: 0,
      id: ComparisonStore.newId(new Date('2026-12-01T10:00:00Z'), 'abcdef12'),
      file: 'p.md',
      promptHash: promptTextHash('text v1'),
      time: '2026-12-01T10:00:00Z',
      scoring: 'x',
      disagreements: [],
    };
    assert.equal(saved.id, '20261201T100000Z-abcdef');
    store.save(saved);
    assert.equal(comparisonLabel(store.latestFor('p.md', promptTextHash('text v1')), 'mid'), 'tested: 19/20 pass');
    assert.equal(
      comparisonLabel(store.latestFor('p.md', promptTextHash('text v2')), 'mid'),
      'untested',
      'the text changed since',
    );
    assert.equal(comparisonLabel(store.latestFor('p.md', promptTextHash('text v1')), 'other'), 'untested');
  });
});
