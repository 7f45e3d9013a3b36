// The run view webview in headless Chromium: the built dist/runView.js in the page shell the extension serves, fed a
// run whose job ids, model names and answers hold markup and whose answers are long. Everything renders as text,
// unknown costs say unknown, and a long answer scrolls inside its row so the jobs after it stay in view.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunViewHostMessage, RunViewJob } from '../../src/shared/runViewMessages';
import { openWebviewPage, type WebviewPageUnderTest } from './webviewHarness';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT_END = '</script><script>alert(2)</script>';
const LONG_ANSWER = Array.from({ length: 200 }, (_, line) => `line ${line + 1} of a long **answer** ${IMG}`).join('\n');

const job = (id: string, extra: Partial<RunViewJob> = {}): RunViewJob => ({
  id,
  model: 'gpt-4o-mini',
  status: 'done',
  costUsd: 0.00012,
  output: 'short answer',
  cache: 'miss',
  ...extra,
});

const snapshot: RunViewHostMessage = {
  type: 'snapshot',
  run: {
    id: '20261202T031500Z-abc123',
    source: `prompts/${IMG}`,
    status: 'completed',
    createdAt: '2026-12-02T03:15:00.000Z',
    stopReason: SCRIPT_END,
    jobs: [
      job(`faq.prompt.md#${IMG}`, { output: LONG_ANSWER }),
      job('faq.prompt.md#2', { model: IMG, status: 'failed', costUsd: null, output: `500: ${SCRIPT_END}` }),
      job('faq.prompt.md#3', { status: 'truncated', output: '' }),
      job('faq.prompt.md#4', { costUsd: 0, cache: 'disk' }),
      job('faq.prompt.md#5', { status: 'pending', costUsd: null, cache: '' }),
    ],
    knownCostUsd: 0.00036,
    unknownCosts: 2,
  },
};

describe('Run view webview safety (headless Chromium)', () => {
  let webview: WebviewPageUnderTest;

  before(async () => {
    webview = await openWebviewPage({
      script: 'runView.js',
      stylesheet: 'runView.css',
      title: `Run ${IMG}`,
      viewport: { width: 1000, height: 800 },
    });
  });

  after(() => webview?.close());

  test('ids, model names, answers and the stop reason with markup render as text; unknown costs say unknown', async () => {
    const { page } = webview;
    await webview.send(snapshot);
    await page.locator('tr.job').nth(4).waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    assert.ok(text.includes(`Stopped: ${SCRIPT_END}`), 'the stop reason is shown as text');
    assert.ok(text.includes(`500: ${SCRIPT_END}`), 'the error is shown as text');
    assert.ok(text.includes('line 200 of a long **answer**'), 'the whole answer is in the page');
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
    assert.equal(await page.locator('script').count(), 2, 'only the stub and the bundled script');
    const failed = page.locator('tr.job').nth(1);
    assert.equal((await failed.locator('td.cost').textContent())?.trim(), 'unknown', 'an unknown cost is never $0');
    assert.equal((await failed.locator('td').nth(1).textContent())?.trim(), IMG);
    assert.match(text, /spent \$0\.00036 \+ 2 of unknown cost/);
    assert.deepEqual(webview.dialogs, []);
    assert.deepEqual(webview.pageErrors, []);
    assert.deepEqual(await webview.violations(), [], 'nothing breaks the CSP');
  });

  test('a 200-line answer scrolls inside its cell: every job row starts within the first screen', async () => {
    const { page } = webview;
    const rows = await page
      .locator('tr.job')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().top));
    assert.equal(rows.length, 5);
    const viewport = page.viewportSize()!;
    for (const [index, top] of rows.entries())
      assert.ok(top < viewport.height, `row ${index + 1} starts at ${top}px, below the ${viewport.height}px view`);
    const scroll = await page
      .locator('tr.job')
      .first()
      .locator('pre')
      .evaluate((element) => ({ scrollHeight: element.scrollHeight, clientHeight: element.clientHeight }));
    assert.ok(scroll.scrollHeight > scroll.clientHeight, 'the long answer scrolls inside its cell');
    await webview.screenshot('run-view');
  });

  test('a malformed snapshot is ignored and the last valid one stays', async () => {
    const { page } = webview;
    await webview.send({ type: 'snapshot', run: { id: IMG, jobs: 'x' } });
    await webview.send({ type: 'html', html: IMG });
    await page.waitForTimeout(100);
    assert.equal(await page.locator('tr.job').count(), 5);
    assert.equal(await page.locator('img').count(), 0);
  });
});
