process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { reportText } from '../../src/cli/reportText';
import { buildCostReport } from '../../src/core/report/costReport';
import { reportToCsv } from '../../src/core/report/reportCsv';
import { REPORT_LIMITS } from '../../src/core/report/reportLimits';
import { ledgerEntry, testPrices } from './support/reportLedger';

const now = new Date('2026-11-20T12:00:00.000Z');
// 40 prompt files, file i costing i cents; one truncated answer (money spent, no saving) and a Responses call.
const ledger = [
  ...Array.from({ length: 40 }, (_, index) =>
    ledgerEntry({ time: '2026-11-19T10:00:00Z', source: `prompts/p${index}.prompt.md`, costUsd: (index + 1) / 100 }),
  ),
  ledgerEntry({
    time: '2026-11-19T11:00:00Z',
    source: 'prompts/p0.prompt.md',
    costUsd: 0.5,
    outcome: 'truncated' as never,
    endpoint: 'responses' as never,
  }),
];

describe('capped report lists', () => {
  test('the longest lists keep their most expensive rows and count the rest; a complete report keeps all', () => {
    const capped = buildCostReport(ledger, { now, pricing: testPrices });
    assert.equal(capped.byFile.length, REPORT_LIMITS.byFile);
    assert.equal(capped.more.byFile, 40 - REPORT_LIMITS.byFile);
    assert.equal(capped.byFile[0]!.name, 'prompts/p0.prompt.md', '0.01 + 0.5: the most expensive file first');
    assert.equal(capped.topPrompts.length, REPORT_LIMITS.topPrompts);
    assert.equal(capped.more.topPrompts, 40 - REPORT_LIMITS.topPrompts);
    assert.match(reportText(capped), new RegExp(`… ${40 - REPORT_LIMITS.byFile} more`));

    const complete = buildCostReport(ledger, { now, pricing: testPrices, complete: true });
    assert.equal(complete.byFile.length, 40);
    assert.deepEqual(complete.more, { byModel: 0, byFile: 0, byRun: 0, topPrompts: 0, recentRuns: 0 });
    assert.equal(
      reportToCsv(complete)
        .split('\r\n')
        .filter((line) => line.startsWith('file,')).length,
      40,
      'the CSV export has every file',
    );
    assert.deepEqual(complete.spend.range, capped.spend.range, 'capping changes what is listed, not the totals');
  });

  test('outcomes and endpoints are counted by value, new values included', () => {
    const report = buildCostReport(ledger, { now, pricing: testPrices });
    assert.deepEqual(
      report.outcomes.map((outcome) => [outcome.name, outcome.calls, outcome.spend.knownUsd]),
      [
        ['ok', 40, 8.2],
        ['truncated', 1, 0.5],
      ],
    );
    assert.deepEqual(
      report.endpoints.map((endpoint) => [endpoint.name, endpoint.calls]),
      [
        ['chat.completions', 40],
        ['responses', 1],
      ],
    );
    assert.match(reportText(report), /truncated 1 \(\$0\.50/);
  });
});
