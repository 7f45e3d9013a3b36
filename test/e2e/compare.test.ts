// Issue 14 end to end: Compare Models on the example prompt in real VS Code, against a test server whose answers
// depend on the model (a labelled ticket set: cheaper models pick the wrong label more often).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import type { SavedComparison } from '../../src/core/compare/compareTypes';
import { parseDataset } from '../../src/core/runs/dataset';
import type { LabelledAnswers } from '../server/labelledAnswers';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';
import {
  clickCodeLens,
  createWorkspace,
  openFile,
  runCommand,
  screenshot,
  waitForCodeLens,
  waitForStatusBarText,
  waitUntil,
} from './support';
import { startWorkbenchWithApi } from './support/promptMeterWorkbench';
import { exampleFiles } from './support/promptMeterPackage';
import { clickDialogButton, waitForEditorContaining, setApiKey } from './support/promptMeterUi';

const SECRET = fakeApiKey('e2e-compare');
const PROMPT = 'prompts/ticket-routing-compare.prompt.md';
const DATA = 'data/labelled-tickets.csv';

/** The content document of the (only) webview panel: the outer `iframe.webview`, then its `iframe#active-frame`. */
async function comparisonFrame(page: Page): Promise<FrameLocator> {
  await waitUntil(
    page,
    'the Compare Models webview panel',
    async () => ((await page.locator('iframe.webview').count()) > 0 ? true : undefined),
    { timeout: 60_000 },
  );
  return page.frameLocator('iframe.webview').last().frameLocator('iframe#active-frame');
}

test(
  'Compare Models on the example shows the table of the saved comparison; Switch to X writes the model',
  { timeout: 400_000 },
  async (t) => {
    const files = exampleFiles();
    const dataset = parseDataset(DATA, files[DATA]!);
    const labelled: LabelledAnswers = {
      items: dataset.rows.map((row) => ({ match: `Ticket ${row.ticket_id}\n`, label: row.expected! })),
      labels: [...new Set(dataset.rows.map((row) => row.expected!))],
      accuracy: { 'gpt-4o': 1, 'gpt-4o-mini': 0.95, 'gpt-4.1-nano': 0.6 },
    };
    const workspace = createWorkspace({ [PROMPT]: files[PROMPT]!, [DATA]: files[DATA]! }, 'pm-e2e-compare-');
    const { api, server } = await startWorkbenchWithApi(t, {
      workspace,
      name: 'compare',
      viewport: { width: 1800, height: 1000 },
      api: { latencyMs: 10, rpm: 6000, tpm: 1_000_000, labelledAnswers: labelled },
    });
    const { page } = server;

    await openFile(page, PROMPT);
    await waitForStatusBarText(page, /tokens · .* · gpt-4o$/, { timeout: 60_000 });
    await setApiKey(page, SECRET);
    await openFile(page, PROMPT);

    const untested = await waitForCodeLens(page, /fits \(classify\).*· untested/, { timeout: 30_000 });
    const recommended = /\$\(lightbulb\)\s*(\S+) fits|^(\S+) fits/.exec(untested)?.slice(1).find(Boolean) ?? '';
    assert.ok(recommended, untested);

    let saved: SavedComparison | undefined;
    await t.test(
      'the Compare Models lens asks with the estimated cost first; the table shows what was saved',
      async () => {
        const before = api.stats().completionsServed;
        await clickCodeLens(page, /Compare Models on 20 rows/);
        const question = await clickDialogButton(page, 'Compare');
        assert.match(question, /Compare \d models on 20 rows of ticket-routing-compare\.prompt\.md/);
        assert.match(question, /estimated cost ~\$[\d.]+/);
        assert.equal(api.stats().completionsServed, before, 'nothing is sent before the answer');
        const frame = await comparisonFrame(page);
        const rows = frame.locator('table.comparison tbody tr');
        await rows.first().waitFor({ timeout: 120_000 });
        const folder = path.join(workspace, '.promptmeter', 'comparisons');
        const [name] = readdirSync(folder).filter((file) => file.endsWith('.json'));
        saved = JSON.parse(readFileSync(path.join(folder, name!), 'utf8')) as SavedComparison;
        assert.equal(saved.file, PROMPT);
        assert.equal(await rows.count(), saved.models.length);
        assert.ok(saved.models.length >= 2);
        assert.equal(
          api.stats().completionsServed - before,
          saved.models.length * 20,
          'every model answered the 20 rows',
        );
        // Through the extension's one client: every call in the workspace ledger, marked as this comparison's.
        const comparisonId = saved.id;
        const entries = await waitUntil(
          page,
          'the comparison in the ledger',
          async () => {
            const found = workspaceLedgerText(workspace)
              .trim()
              .split('\n')
              .map((text) => JSON.parse(text) as { runId?: string; source?: string; costUsd: number })
              .filter((entry) => entry.runId === comparisonId);
            return found.length === saved!.models.length * 20 ? found : undefined;
          },
          { timeout: 30_000 },
        );
        assert.ok(entries.every((entry) => entry.source === `compare:${PROMPT}`));
        const ledgerUsd = entries.reduce((sum, entry) => sum + entry.costUsd, 0);
        const trialUsd = saved.models.reduce((sum, model) => sum + (model.costUsd ?? 0), 0);
        assert.ok(Math.abs(ledgerUsd - trialUsd) < 1e-12, `ledger ${ledgerUsd} = trial ${trialUsd}`);
        for (const model of saved.models) {
          const row = frame.locator(`tr[data-model="${model.model}"]`);
          assert.equal((await row.locator('td.passed').innerText()).trim(), `${model.passed}/${model.total}`);
          assert.match(
            await row.locator('td.pass-rate').innerText(),
            new RegExp(
              `${Math.round(model.passRate * 100)}% \\(${Math.round(model.interval[0] * 100)}%–${Math.round(model.interval[1] * 100)}%\\)`,
            ),
          );
          assert.match(await row.locator('td.per-1k').innerText(), /\$[\d.]+ \/ \$[\d.]+/);
        }
        assert.equal(
          (await frame.locator('tr[data-model="gpt-4o"] td.passed').innerText()).trim(),
          '20/20',
          'the reference agrees with itself',
        );
        const nano = saved.models.find((model) => model.model === 'gpt-4.1-nano');
        if (nano) assert.ok(nano.passRate < 0.9, 'the model that is wrong 40% of the time does not pass');
        assert.match(
          await frame.locator('p.recommendation').innerText(),
          new RegExp(`Recommended: ${saved.recommended ? saved.recommended.replace(/[.]/g, '\\.') : 'none'}`),
        );
        await screenshot(page, 'compare-table');
      },
    );

    await t.test('the cheaper-fit lens now says how the recommendation did on this text', async () => {
      const line = saved!.models.find((model) => model.model === recommended);
      // The result panel opened beside the prompt; the prompt's editor is in the first group.
      await runCommand(page, 'View: Focus First Editor Group');
      if (line)
        await waitForCodeLens(page, new RegExp(`fits \\(classify\\).*· tested: ${line.passed}/${line.total} pass`), {
          timeout: 30_000,
        });
      else await waitForCodeLens(page, /fits \(classify\).*· untested/, { timeout: 30_000 });
    });

    await t.test('Switch to X writes the model (and its edits) into the prompt', async () => {
      const target =
        saved!.recommended && saved!.recommended !== 'gpt-4o' ? saved!.recommended : saved!.models[1]!.model;
      const frame = await comparisonFrame(page);
      await frame.locator('button', { hasText: new RegExp(`^Switch to ${target.replace(/[.]/g, '\\.')}$`) }).click();
      await frame.locator('p.notice', { hasText: `Switched ${PROMPT} to ${target}` }).waitFor({ timeout: 30_000 });
      await waitForEditorContaining(page, new RegExp(`model: ${target.replace(/[.]/g, '\\.')}`), 30_000);
      assert.equal(
        await frame.locator(`tr[data-model="${target}"] button`).count(),
        0,
        'the switched-to model is now the current one',
      );
      await screenshot(page, 'compare-switch');
    });
  },
);
