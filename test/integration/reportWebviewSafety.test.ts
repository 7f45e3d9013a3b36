// The Cost Report webview in headless Chromium: the built dist/webview.js in the page shell the extension
// serves (same CSP, same nonce rules), fed snapshots whose ledger text holds markup. It must render as text.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildCostReport } from '../../src/core/report/costReport';
import { parseRunRecord } from '../../src/core/report/runRecord';
import type { ReportSnapshotMessage } from '../../src/shared/reportMessages';
import { ledgerEntry, testPrices } from '../unit/support/reportLedger';
import { openWebviewPage, type WebviewPageUnderTest } from './webviewHarness';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT_END = '</script><script>alert(2)</script>';
const FILE_NAME = `prompts/${IMG}${SCRIPT_END}.prompt.md`;
const MODEL_OUTPUT = `Model said: ${IMG} and ${SCRIPT_END}`;

function snapshot(): ReportSnapshotMessage {
  const now = new Date();
  const report = buildCostReport(
    [
      ledgerEntry({
        time: now.toISOString(),
        source: FILE_NAME,
        jobId: IMG,
        model: IMG,
        costUsd: 0.25,
        runId: 'run-1',
      }),
      ledgerEntry({
        time: now.toISOString(),
        source: FILE_NAME,
        cache: 'memory',
        avoidedCostUsd: 0.25,
        runId: 'run-1',
      }),
      ledgerEntry({
        time: now.toISOString(),
        source: FILE_NAME,
        runId: 'run-1',
        outcome: 'error',
        error: { status: 500, message: MODEL_OUTPUT },
      }),
    ],
    {
      now,
      pricing: testPrices,
      runs: [parseRunRecord({ id: 'run-1', status: 'failed', source: FILE_NAME, createdAt: now.toISOString() })!],
      budget: { monthlyUsd: 1 },
    },
  );
  return { type: 'snapshot', report, range: 'month', workspaceName: IMG, problem: null };
}

describe('Cost Report webview safety (headless Chromium)', () => {
  let webview: WebviewPageUnderTest;
  let page: Page;

  before(async () => {
    webview = await openWebviewPage({
      script: 'webview.js',
      stylesheet: 'costReport.css',
      title: 'Cost Report',
      viewport: { width: 380, height: 1400 },
    });
    page = webview.page;
  });

  after(() => webview?.close());

  test('file names, model names and model output with markup render as text: no element, no script, no alert', async () => {
    await webview.send(snapshot());
    await page.locator('#spend-month').waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    assert.ok(text.includes(FILE_NAME), 'the file name is shown as text');
    assert.ok(text.includes(`Last error: ${MODEL_OUTPUT}`), 'the model output is shown as text');
    assert.ok(text.includes(IMG), 'the model name is shown as text');
    assert.ok(text.includes(`from the cost ledger of ${IMG}.`), 'the workspace folder is named, as text');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
    assert.equal(await page.locator('script').count(), 2, 'only the stub and the bundled script');
    await page.waitForTimeout(200);
    assert.deepEqual(webview.dialogs, []);
    assert.deepEqual(webview.pageErrors, []);
    assert.deepEqual(await webview.violations(), [], 'nothing (Chart.js included) breaks the CSP');
    await webview.screenshot('cost-report');
  });

  test('the chart is drawn, the figures match the report, and a malformed snapshot is ignored', async () => {
    const box = await page.locator('canvas').boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `canvas size ${JSON.stringify(box)}`);
    assert.equal(await page.locator('#spend-month .money').getAttribute('data-usd'), '0.25');
    assert.equal(await page.locator('[data-cause="responseCache"] .cause-amount').getAttribute('data-usd'), '0.25');
    await page.evaluate(() =>
      window.postMessage(
        {
          type: 'snapshot',
          report: { version: 1, byFile: '<img src=x>' },
          range: 'month',
          workspaceName: null,
          problem: null,
        },
        '*',
      ),
    );
    await page.evaluate(() => window.postMessage({ type: 'html', html: '<img src=x onerror=alert(3)>' }, '*'));
    await page.waitForTimeout(100);
    assert.equal(
      await page.locator('#spend-month .money').getAttribute('data-usd'),
      '0.25',
      'the last valid snapshot stays',
    );
    assert.equal(await page.locator('img').count(), 0);
  });

  test('an empty ledger shows how to get the first numbers', async () => {
    const empty = buildCostReport([], { now: new Date(), pricing: testPrices });
    await webview.send({
      type: 'snapshot',
      report: empty,
      range: 'month',
      workspaceName: 'work',
      problem: null,
    });
    await page.locator('#empty-state').waitFor();
    assert.match(
      (await page.locator('#empty-state').textContent()) ?? '',
      /No calls recorded yet.*\.promptmeter\/ledger\//,
    );
    await webview.send(snapshot());
    await page.locator('#spend-month').waitFor();
  });

  test('every control is reachable with the keyboard and posts typed messages', async () => {
    await page.locator('body').focus();
    const reached: string[] = [];
    for (let index = 0; index < 40; index++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? ''),
      );
    }
    for (const label of ['Today', 'All time', 'Export CSV', 'Export JSON', 'Response cache hits$0.250100%']) {
      assert.ok(
        reached.some((text) => text.startsWith(label)),
        `"${label}" not reached by Tab in ${JSON.stringify(reached)}`,
      );
    }
    await page.getByRole('button', { name: 'Today' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Export CSV' }).focus();
    await page.keyboard.press('Space');
    assert.deepEqual((await webview.posted()).slice(-2), [
      { type: 'setRange', range: 'today' },
      { type: 'export', format: 'csv' },
    ]);
  });
});
