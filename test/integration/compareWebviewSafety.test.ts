// The Compare Models webview in headless Chromium: the built dist/compare.js in the page shell the extension
// serves (same CSP, same nonce rules), fed a comparison whose model names and answers hold markup.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SavedComparison } from '../../src/core/compare/compareTypes';
import type { ComparisonSnapshotMessage } from '../../src/shared/compareMessages';
import { costReportHtml, createNonce } from '../../src/vscode/costReportHtml';
import { CHROMIUM_PATH } from '../e2e/support/paths';
import { chromiumDriver } from '../e2e/support/playwright';
import { repositoryRoot } from '../support/repository';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT_END = '</script><script>alert(2)</script>';
const ANSWER = `billing ${IMG} ${SCRIPT_END}`;

const HOST_STUB = `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
window.acquireVsCodeApi = () => ({ postMessage: (message) => window.__posted.push(message), getState: () => undefined, setState: () => undefined });
`;

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
  let server: Server;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const posted = () =>
    page.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted);

  before(async () => {
    const root = repositoryRoot();
    const script = path.join(root, 'dist', 'compare.js');
    assert.ok(existsSync(script), 'dist/compare.js is missing: run node esbuild.mjs');
    const nonce = createNonce();
    server = createServer((request, response) => {
      const origin = `http://${request.headers.host}`;
      const files: Record<string, [string, string]> = {
        '/compare.js': ['text/javascript', readFileSync(script, 'utf8')],
        '/compare.css': ['text/css', readFileSync(path.join(root, 'media', 'compare.css'), 'utf8')],
        '/stub.js': ['text/javascript', HOST_STUB],
      };
      if (request.url === '/') {
        const html = costReportHtml(
          { cspSource: origin, scriptUri: `${origin}/compare.js`, styleUri: `${origin}/compare.css` },
          nonce,
          `Compare Models — ${IMG}`,
        ).replace('<script nonce=', `<script nonce="${nonce}" src="${origin}/stub.js"></script>\n<script nonce=`);
        response.writeHead(200, { 'content-type': 'text/html' }).end(html);
      } else if (request.url && files[request.url]) {
        const [type, body] = files[request.url]!;
        response.writeHead(200, { 'content-type': type }).end(body);
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromiumDriver().launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() =>
      (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((message) => message.type === 'ready'),
    );
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  test('model names, file names and answers with markup render as text; unknown money says unknown; failed calls are shown', async () => {
    const message: ComparisonSnapshotMessage = { type: 'comparison', comparison, currentModel: 'gpt-4o', notice: null };
    await page.evaluate((snapshot) => window.postMessage(snapshot, '*'), message);
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
    assert.deepEqual(dialogs, []);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      [],
      'nothing breaks the CSP',
    );
  });

  test('Switch and export post typed requests; a malformed snapshot is ignored', async () => {
    await page.locator('button', { hasText: /^Switch to gpt-4o-mini$/ }).click();
    await page.locator('button', { hasText: /^Export CSV…$/ }).click();
    const messages = await posted();
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
    await page.evaluate((snapshot) => window.postMessage(snapshot, '*'), {
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
