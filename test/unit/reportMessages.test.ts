import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildCostReport } from '../../src/core/report/costReport';
import { isReportHostMessage, isReportWebviewMessage } from '../../src/shared/reportMessages';
import { ledgerEntry, testPrices } from './support/reportLedger';

describe('report messages', () => {
  test('webview → host: only the known messages with valid fields pass', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'setRange', range: 'last7Days' },
      { type: 'openFile', path: 'prompts/a.prompt.md' },
      { type: 'openRun', runId: 'run-1' },
      { type: 'export', format: 'json' },
      { type: 'openSettings' },
    ]) {
      assert.equal(isReportWebviewMessage(message), true, JSON.stringify(message));
    }
    for (const message of [
      null,
      'ready',
      { type: 'setRange', range: 'year' },
      { type: 'openFile', path: '' },
      { type: 'openFile', path: 'a\u0000b' },
      { type: 'openFile', path: 'x'.repeat(2000) },
      { type: 'openRun' },
      { type: 'export', format: 'html' },
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
    ]) {
      assert.equal(isReportWebviewMessage(message), false, JSON.stringify(message));
    }
  });

  test('host → webview: a real snapshot passes; damaged ones do not', () => {
    const report = buildCostReport(
      [
        ledgerEntry({ source: 'a.prompt.md', costUsd: 0.1 }),
        ledgerEntry({ cache: 'disk', avoidedCostUsd: 0.1, runId: 'r' }),
      ],
      { now: new Date('2026-11-20T12:00:00Z'), pricing: testPrices },
    );
    const snapshot = { type: 'snapshot', report, range: 'month', workspaceName: 'work', problem: null };
    assert.equal(isReportHostMessage(JSON.parse(JSON.stringify(snapshot))), true);
    assert.equal(isReportHostMessage({ ...snapshot, range: 'year' }), false);
    assert.equal(isReportHostMessage({ ...snapshot, report: { ...report, byFile: [{ name: 1 }] } }), false);
    assert.equal(
      isReportHostMessage({ ...snapshot, report: { ...report, spend: { ...report.spend, month: { usd: '1' } } } }),
      false,
    );
    assert.equal(isReportHostMessage({ ...snapshot, report: { ...report, version: 2 } }), false);
  });
});
