// The Compare Models webview in headless Chromium: the built dist/compare.js in the page shell the extension
// serves (same CSP, same nonce rules), fed a comparison whose model names and answers hold markup.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { SavedComparison } from '../../src/core/compare/compareTypes';
import type { ComparisonSnapshotMessage } from '../../src/shared/compareMessages';
import { openWebviewPage, type WebviewPageUnderTest } from './webviewHarness';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT_END = '</script><script>alert(2)</script>';
const ANSWER = `billing ${IMG} ${SCRIPT_END}`;

const line = (model: string, passed: number, extra: Record<string, unknown> = {}) => ({
  model,
  passed,
  total: 20,
  passRate: passed / 20,
  interval: [0.5, 0.99] as [number, number],
  costUsd: 0.0003,
  costPer1kRows: { standard: 0.013, batch: 0.0066 },
  latencyP50Ms: 50,
  latencyP95Ms: 90,
  reasoningTokens: 0,
  truncated: 0,
  failed: 0,
  edits: [],
  monthlySavingUsd: null,
  ...extra,
});

const comparison: SavedComparison = {
  id: '20261201T230000Z-abcdef',
  file: `prompts/${IMG}.prompt.md`,
  promptHash: 'h',
  time: '2026-12-01T23:00:00.000Z',
  scoring: 'exact after normalising',
  rows: 20,
  reference: 'gpt-4o',
  threshold: 0.9,
  recommended: 'gpt-4o-mini',
  judgeCostUsd: 0,
  models: [
    line('gpt-4o', 20),
    line('gpt-4o-mini', 19),
    line(IMG, 3, {
      costUsd: null,
      costPer1kRows: { standard: null, batch: null },
      failed: 17,
      latencyP50Ms: null,
      latencyP95Ms: null,
    }),
  ],
  disagreements: [
    {
      row: 4,
      answers: {
        'gpt-4o': { text: 'billing', passed: true, detail: '' },
        [IMG]: { text: ANSWER, passed: false, detail: IMG },
      },
    },
  ],
};

describe('Compare Models webview safety (headless Chromium)', () => {
  let webview: WebviewPageUnderTest;
  let page: Page;

  before(async () => {
    webview = await openWebviewPage({
      script: 'compare.js',
      stylesheet: 'compare.css',
      title: `Compare Models — ${IMG}`,
      viewport: { width: 1200, height: 900 },
    });
    page = webview.page;
  });

  after(() => webview?.close());

  test('model names, file names and answers with markup render as text; unknown money says unknown; failed calls are shown', async () => {
    const message: ComparisonSnapshotMessage = { type: 'comparison', comparison, currentModel: 'gpt-4o', notice: null };
    await webview.send(message);
    await page.locator('table.comparison tbody tr').nth(2).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    assert.ok(text.includes(`Compare Models — prompts/${IMG}.prompt.md`));
    assert.ok(text.includes(ANSWER), 'the answer is shown as text');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
    assert.equal(await page.locator('script').count(), 2, 'only the stub and the bundled script');
    const odd = page.locator('table.comparison tbody tr').nth(2);
    assert.equal((await odd.locator('th .model').textContent())?.trim(), IMG);
    assert.equal((await odd.locator('td.trial-cost').textContent())?.trim(), 'unknown', 'an unknown price is never $0');
    assert.equal((await odd.locator('td.per-1k').textContent())?.trim(), 'unknown / unknown');
    assert.equal((await odd.locator('td.failed').textContent())?.trim(), '17');
    assert.equal(await page.locator('tr[data-model="gpt-4o"] button').count(), 0, 'no Switch on the current model');
    assert.deepEqual(webview.dialogs, []);
    assert.deepEqual(webview.pageErrors, []);
    assert.deepEqual(await webview.violations(), [], 'nothing breaks the CSP');
    await webview.screenshot('compare');
  });

  test('Switch and export post typed requests; a malformed snapshot is ignored', async () => {
    await page.locator('button', { hasText: /^Switch to gpt-4o-mini$/ }).click();
    await page.locator('button', { hasText: /^Export CSV…$/ }).click();
    const messages = await webview.posted();
    assert.deepEqual(messages.slice(-2), [
      { type: 'switch', model: 'gpt-4o-mini' },
      { type: 'export', format: 'csv' },
    ]);
    await page.evaluate(() =>
      window.postMessage(
        { type: 'comparison', comparison: { id: '<img src=x>' }, currentModel: null, notice: null },
        '*',
      ),
    );
    await webview.send({
      type: 'comparison',
      comparison,
      currentModel: 'gpt-4o-mini',
      notice: 'Switched.',
    });
    await page.locator('p.notice', { hasText: 'Switched.' }).waitFor();
    assert.equal(
      await page.locator('tr[data-model="gpt-4o-mini"] button').count(),
      0,
      'the valid snapshot after the malformed one was rendered',
    );
    assert.equal(await page.locator('img').count(), 0);
  });
});
