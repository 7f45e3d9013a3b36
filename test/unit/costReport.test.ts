// The local time zone decides where days and months start; the hand-computed periods below are in UTC.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCostReport } from '../../src/core/report/costReport';
import { reportToCsv } from '../../src/core/report/reportCsv';
import { parseRunRecord } from '../../src/core/report/runRecord';
import { closeTo, ledgerEntry, testPrices } from './support/reportLedger';

const now = new Date('2026-11-20T12:00:00.000Z');

// Costs are written directly (the report sums costUsd as recorded; pricing is only used for savings).
const ledger = [
  ledgerEntry({
    time: '2026-11-20T09:00:00Z',
    source: 'prompts/a.prompt.md',
    costUsd: 0.01,
    usage: { promptTokens: 3000, completionTokens: 500 },
  }),
  ledgerEntry({
    time: '2026-11-18T10:00:00Z',
    model: 'model-b',
    source: 'prompts/b.prompt.md',
    runId: 'run-1',
    jobId: 'j1',
    costUsd: 0.002,
  }),
  ledgerEntry({ time: '2026-11-14T10:00:00Z', source: 'prompts/a.prompt.md', costUsd: 0.02 }),
  ledgerEntry({ time: '2026-11-13T23:59:00Z', source: 'prompts/big.prompt.md', costUsd: 0.5 }),
  ledgerEntry({ time: '2026-10-31T10:00:00Z', source: 'prompts/a.prompt.md', costUsd: 1 }),
  ledgerEntry({
    time: '2026-11-19T10:00:00Z',
    source: 'prompts/a.prompt.md',
    cache: 'memory',
    costUsd: 0,
    avoidedCostUsd: 0.01,
    usage: { promptTokens: 3000, completionTokens: 500 },
  }),
  ledgerEntry({ time: '2026-11-20T10:00:00Z', model: 'no-price', source: 'prompts/c.prompt.md', costUsd: null }),
  ledgerEntry({ time: 'not a time', costUsd: 99 }),
];
const runs = [
  parseRunRecord({
    version: 1,
    id: 'run-1',
    createdAt: '2026-11-18T09:59:00Z',
    status: 'completed',
    source: 'prompts',
    jobs: { total: 1, done: 1, failed: 0, pending: 0 },
    costUsd: 0.002,
    estimateUsd: 0.003,
  })!,
  parseRunRecord({
    version: 1,
    id: 'run-2',
    createdAt: '2026-11-20T11:00:00Z',
    status: 'planned',
    source: 'prompts/b.prompt.md',
  })!,
];

describe('buildCostReport', () => {
  const report = buildCostReport(ledger, {
    now,
    pricing: testPrices,
    runs,
    budget: { monthlyUsd: 0.6, perRunUsd: 0.001 },
  });

  test('spend today, last 7 days (today and six days before) and month to date; unknown prices stay unknown', () => {
    assert.deepEqual(report.spend.today, { usd: null, knownUsd: 0.01, unpriced: 1 });
    // 0.01 + 0.002 + 0.02 (Nov 14, first of the 7 days) + 0 (cache hit); Nov 13 23:59 is outside.
    assert.deepEqual(report.spend.last7Days, { usd: null, knownUsd: 0.032, unpriced: 1 });
    assert.deepEqual(report.spend.month, { usd: null, knownUsd: 0.532, unpriced: 1 });
    assert.deepEqual(report.spend.range, report.spend.month, 'the default range is this month');
    assert.equal(report.spend.calls, 6);
    assert.equal(report.range.name, 'month');
    assert.equal(report.range.since, '2026-11-01T00:00:00.000Z');
    assert.deepEqual(report.ledger, {
      entries: 7,
      skippedLines: 1,
      firstTime: '2026-10-31T10:00:00Z',
      lastTime: '2026-11-20T10:00:00Z',
    });
  });

  test('spend by model, by file and by run over the range, most expensive first, with shares', () => {
    assert.deepEqual(
      report.byModel.map((row) => [row.name, row.calls, row.cacheHits, row.spend.usd]),
      [
        ['model-a', 4, 1, 0.53],
        ['model-b', 1, 0, 0.002],
        ['no-price', 1, 0, null],
      ],
    );
    closeTo(report.byModel[0]!.share ?? Number.NaN, 0.53 / 0.532);
    assert.equal(report.byModel[0]!.inputTokens, 3000, "the cache hit's tokens were not billed again");
    closeTo(report.byModel[0]!.saved.usd, 0.01);
    assert.deepEqual(
      report.byFile.map((row) => [row.source, row.spend.knownUsd]),
      [
        ['prompts/big.prompt.md', 0.5],
        ['prompts/a.prompt.md', 0.03],
        ['prompts/b.prompt.md', 0.002],
        ['prompts/c.prompt.md', 0],
      ],
    );
    assert.deepEqual(
      report.byRun.map((row) => [row.name, row.spend.usd]),
      [['run-1', 0.002]],
    );
  });

  test('spent on truncated answers: their cost within the range, counted apart and still part of the spend', () => {
    const withTruncated = [
      ...ledger,
      ledgerEntry({ time: '2026-11-20T11:00:00Z', outcome: 'truncated', finishReason: 'length', costUsd: 0.003 }),
      ledgerEntry({
        time: '2026-11-20T11:30:00Z',
        outcome: 'truncated',
        finishReason: 'content_filter',
        costUsd: null,
      }),
      ledgerEntry({ time: '2026-10-01T11:00:00Z', outcome: 'truncated', finishReason: 'length', costUsd: 5 }),
    ];
    const truncatedReport = buildCostReport(withTruncated, { now, pricing: testPrices });
    assert.equal(truncatedReport.truncated.calls, 2);
    closeTo(truncatedReport.truncated.spend.knownUsd, 0.003);
    assert.equal(truncatedReport.truncated.spend.unpriced, 1);
    closeTo(truncatedReport.spend.range.knownUsd - report.spend.range.knownUsd, 0.003);
    assert.deepEqual(report.truncated, { spend: { usd: 0, knownUsd: 0, unpriced: 0 }, calls: 0 });
  });

  test('savings by cause cover the range', () => {
    assert.deepEqual(
      report.savings.causes.map((cause) => [cause.cause, cause.amount.usd, cause.share, cause.evidence]),
      [['responseCache', 0.01, 1, 1]],
    );
  });

  test('spend per day from the range start to today, gaps as $0', () => {
    assert.equal(report.daily.length, 20);
    assert.equal(report.daily[0]!.day, '2026-11-01');
    assert.equal(report.daily.at(-1)!.day, '2026-11-20');
    const day = (key: string) => report.daily.find((point) => point.day === key)!;
    assert.deepEqual(day('2026-11-13').spend, { usd: 0.5, knownUsd: 0.5, unpriced: 0 });
    assert.deepEqual(day('2026-11-20').spend, { usd: null, knownUsd: 0.01, unpriced: 1 });
    assert.deepEqual(day('2026-11-19').saved, { usd: 0.01, knownUsd: 0.01, unpriced: 0 });
    assert.deepEqual(day('2026-11-02'), {
      day: '2026-11-02',
      calls: 0,
      spend: { usd: 0, knownUsd: 0, unpriced: 0 },
      saved: { usd: 0, knownUsd: 0, unpriced: 0 },
    });
  });

  test('the most expensive prompts are file + job, with the calls that made them', () => {
    assert.deepEqual(
      report.topPrompts.map((prompt) => [prompt.source, prompt.jobId, prompt.calls, prompt.spend.usd]),
      [
        ['prompts/big.prompt.md', null, 1, 0.5],
        ['prompts/a.prompt.md', null, 3, 0.03],
        ['prompts/b.prompt.md', 'j1', 1, 0.002],
        ['prompts/c.prompt.md', null, 1, null],
      ],
    );
  });

  test('recent runs, newest first, with status, whole-run spend and the per-run budget', () => {
    assert.deepEqual(
      report.recentRuns.map((run) => [run.id, run.status, run.calls, run.spend.usd, run.estimateUsd, run.budgetLevel]),
      [
        ['run-2', 'planned', 0, 0, null, 'ok'],
        ['run-1', 'completed', 1, 0.002, 0.003, 'exceeded'],
      ],
    );
    closeTo(report.recentRuns[1]!.budgetFraction ?? Number.NaN, 2);
  });

  test('budget: month to date against the monthly budget, warning from 80%', () => {
    assert.equal(report.budget.monthly, 0.6);
    assert.equal(report.budget.perRun, 0.001);
    closeTo(report.budget.fraction ?? Number.NaN, 0.532 / 0.6);
    assert.equal(report.budget.level, 'warning');
    assert.equal(report.budget.runsOverBudget, 1);
    assert.equal(report.pricesAsOf, '2026-09-23');
  });

  test('other ranges: today, all time, and an explicit since', () => {
    const today = buildCostReport(ledger, { now, pricing: testPrices, range: 'today' });
    assert.equal(today.spend.calls, 2);
    assert.deepEqual(today.spend.range, today.spend.today);
    assert.equal(today.daily.length, 7, 'the chart shows at least a week');
    const all = buildCostReport(ledger, { now, pricing: testPrices, range: 'all' });
    assert.deepEqual(all.spend.range, { usd: null, knownUsd: 1.532, unpriced: 1 });
    assert.equal(all.range.since, null);
    assert.equal(all.daily[0]!.day, '2026-10-31');
    const since = buildCostReport(ledger, { now, pricing: testPrices, since: new Date('2026-11-18T00:00:00Z') });
    assert.equal(since.range.name, 'since');
    assert.deepEqual(since.spend.range, { usd: null, knownUsd: 0.012, unpriced: 1 });
  });

  test('no budget: level ok, no fraction; an empty ledger is all zeros', () => {
    const empty = buildCostReport([], { now, pricing: testPrices });
    assert.deepEqual(empty.budget, {
      monthly: null,
      perRun: null,
      used: { usd: 0, knownUsd: 0, unpriced: 0 },
      fraction: null,
      level: 'ok',
      runsOverBudget: 0,
    });
    assert.deepEqual(empty.byModel, []);
    assert.deepEqual(empty.savings.causes, []);
    assert.equal(empty.ledger.entries, 0);
  });
});

describe('reportToCsv', () => {
  test('one row per figure; unknown USD left empty; quotes and spreadsheet formulas are neutralised', () => {
    const csv = reportToCsv(
      buildCostReport(
        [
          ledgerEntry({ time: '2026-11-20T09:00:00Z', source: '=HYPERLINK("http://x","y")', costUsd: 0.25 }),
          ledgerEntry({ time: '2026-11-20T09:00:00Z', model: 'no-price', source: 'a,b.prompt.md', costUsd: null }),
        ],
        { now, pricing: testPrices },
      ),
    );
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'section,name,detail,count,usd,known_usd,unpriced,share');
    assert.ok(lines.includes('spend,month_to_date,,,,0.25,1,'), csv);
    assert.ok(lines.includes(`file,"'=HYPERLINK(""http://x"",""y"")",,1,0.25,0.25,0,1`), csv);
    assert.ok(lines.includes('file,"a,b.prompt.md",,1,,0,1,0'), csv);
    assert.ok(lines.includes('meta,prices_as_of,2026-09-23,,,,,'), csv);
    assert.ok(csv.endsWith('\r\n'));
  });
});
