// Issue 5 end to end: the Cost Report view of the packaged .vsix in real VS Code (code-server), against a
// workspace whose ledger is written by hand (cache hits, a batch call, an unknown price). The view must show the
// numbers `promptmeter report --json` prints for the same folder, and follow the ledger live.
// Needs `npm run package`, `bash scripts/setup-e2e.sh` and Debian's chromium (scripts/test.sh does all three).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import type { CostReport } from '../../src/core/report/costReportTypes';
import { formatMoney } from '../../src/core/report/formatMoney';
import {
  createWorkspace,
  runCommand,
  screenshot,
  startCodeServerForTest,
  waitForStatusBarText,
  waitUntil,
  webviewFrame,
} from './support';
import { cliJson, promptMeterVsix } from './support/promptMeterPackage';

function entry(fields: Record<string, unknown>): string {
  return `${JSON.stringify({
    version: 1,
    id: randomUUID(),
    time: new Date(Date.now() - 60_000).toISOString(),
    endpoint: 'chat.completions',
    model: 'gpt-4o-mini',
    requestKey: 'k'.repeat(64),
    costUsd: 0,
    latencyMs: 900,
    cache: 'miss',
    retries: 0,
    outcome: 'ok',
    ...fields,
    usage: { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, ...(fields.usage as object) },
  })}\n`;
}

const LEDGER = [
  entry({
    source: 'prompts/summary.prompt.md',
    usage: { promptTokens: 12_000, completionTokens: 800 },
    costUsd: 0.00228,
  }),
  entry({
    source: 'prompts/summary.prompt.md',
    cache: 'memory',
    usage: { promptTokens: 12_000, completionTokens: 800 },
    avoidedCostUsd: 0.00228,
  }),
  entry({
    source: 'prompts/summary.prompt.md',
    cache: 'disk',
    usage: { promptTokens: 12_000, completionTokens: 800 },
    avoidedCostUsd: 0.00228,
  }),
  entry({
    source: 'prompts/triage.batch.jsonl',
    runId: 'run-e2e',
    jobId: 'ticket-1',
    batchApi: true,
    model: 'gpt-4.1',
    usage: { promptTokens: 40_000, completionTokens: 2_000 },
    costUsd: 0.048,
  }),
  entry({
    source: 'prompts/triage.batch.jsonl',
    runId: 'run-e2e',
    jobId: 'ticket-2',
    cache: 'inflight',
    model: 'gpt-4.1',
    costUsd: 0,
    avoidedCostUsd: 0.048,
    extra: { dedupe: 'identical' },
  }),
  entry({
    source: 'prompts/local.prompt.md',
    model: 'house-llama',
    usage: { promptTokens: 500, completionTokens: 50 },
    costUsd: null,
  }),
].join('');

/** The money figure the view shows in `selector`: its known USD (data-usd) and its text. */
async function figure(frame: FrameLocator, selector: string): Promise<{ usd: number; text: string }> {
  const node = frame.locator(selector).first();
  await node.waitFor({ timeout: 60_000 });
  return { usd: Number(await node.getAttribute('data-usd')), text: ((await node.textContent()) ?? '').trim() };
}

test(
  'the Cost Report view shows the CLI report numbers and follows the ledger live',
  { timeout: 400_000 },
  async (t) => {
    const workspace = createWorkspace(
      {
        '.promptmeter/ledger.jsonl': LEDGER,
        '.vscode/settings.json': JSON.stringify({ 'promptmeter.budget.monthly': 0.1 }),
        'prompts/summary.prompt.md':
          '---\nmodel: gpt-4o-mini\nmax_tokens: 800\n---\nSummarize the attached report in five bullet points.\n',
        'prompts/triage.batch.jsonl': '',
        '.promptmeter/runs/run-e2e/run.json': JSON.stringify({
          version: 1,
          id: 'run-e2e',
          createdAt: new Date(Date.now() - 120_000).toISOString(),
          updatedAt: new Date().toISOString(),
          status: 'completed',
          source: 'prompts/triage.batch.jsonl',
          jobs: { total: 2, done: 2, failed: 0, pending: 0 },
          costUsd: 0.048,
          estimateUsd: 0.05,
        }),
        '.promptmeter/runs/run-e2e/results.jsonl': '{"custom_id":"ticket-1","answer":"billing"}\n',
      },
      'pm-e2e-cost-report-',
    );
    const server = await startCodeServerForTest(t, { workspace, vsixPath: promptMeterVsix(), name: 'cost-report' });
    const { page } = server;
    const cli = cliJson<CostReport>(['report'], workspace);
    const cliCache = cli.savings.causes.find((cause) => cause.cause === 'responseCache');
    assert.ok(cliCache, 'the CLI finds the cache hits');

    let frame: FrameLocator | undefined;
    await t.test(
      'Open Cost Report shows the month spend and the cache saving of promptmeter report --json',
      async () => {
        await runCommand(page, 'Prompt Meter: Open Cost Report');
        frame = await webviewFrame(page, 'Cost Report', { timeout: 60_000 });
        const month = await figure(frame, '#spend-month .money');
        assert.equal(month.usd, cli.spend.month.knownUsd, `view ${month.usd} vs CLI ${cli.spend.month.knownUsd}`);
        assert.equal(month.text, formatMoney(cli.spend.month));
        assert.match(month.text, /\+ 1 of unknown cost/, 'the call with an unknown price is not shown as $0');
        const cache = await figure(frame, '[data-cause="responseCache"] .cause-amount');
        assert.equal(cache.usd, cliCache.amount.knownUsd);
        assert.equal(cache.text, formatMoney(cliCache.amount));
        const savedTotal = await figure(frame, '.savings-total-value');
        assert.equal(savedTotal.usd, cli.savings.total.knownUsd);
        const causes = await frame
          .locator('[data-cause]')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-cause')));
        assert.deepEqual(
          causes,
          cli.savings.causes.map((cause) => cause.cause),
        );
        assert.match(
          (await frame.locator('#prices-as-of').textContent()) ?? '',
          new RegExp(`Prices as of ${cli.pricesAsOf}`),
        );
        assert.equal(await frame.locator('.run[data-run="run-e2e"] .status-completed').count(), 1);
        await frame.locator('canvas').waitFor();
        await screenshot(page, 'cost-report-view');
      },
    );

    await t.test('the status bar shows month-to-date spend next to the estimate', async () => {
      const text = await waitForStatusBarText(page, /this month$/);
      assert.ok(
        text.includes(formatMoney(cli.spend.month)),
        `status bar "${text}" vs CLI ${formatMoney(cli.spend.month)}`,
      );
    });

    await t.test('a call appended to the ledger shows up without a reload, equal to the CLI again', async () => {
      appendFileSync(
        path.join(workspace, '.promptmeter', 'ledger.jsonl'),
        entry({
          source: 'prompts/summary.prompt.md',
          usage: { promptTokens: 12_000, completionTokens: 800 },
          costUsd: 0.00228,
        }),
      );
      const after = cliJson<CostReport>(['report'], workspace);
      assert.notEqual(after.spend.month.knownUsd, cli.spend.month.knownUsd);
      await waitUntil(
        page,
        `the view to show ${after.spend.month.knownUsd}`,
        async () => {
          const month = await figure(frame!, '#spend-month .money');
          return month.usd === after.spend.month.knownUsd ? true : undefined;
        },
        { timeout: 60_000 },
      );
    });

    await t.test('a click on the most expensive prompt opens its file', async () => {
      await frame!.locator('.prompt-list button', { hasText: 'prompts/summary.prompt.md' }).first().click();
      await page
        .locator('.part.editor .tab.active[data-resource-name="summary.prompt.md"]')
        .waitFor({ timeout: 30_000 });
    });
  },
);
