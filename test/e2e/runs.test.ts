// Issues 3 and 4 end to end: Run Prompt and Run Prompts Folder in real VS Code (code-server + headless Chromium)
// against the local OpenAI-compatible test server on 127.0.0.1. The key goes through "Set API Key" (SecretStorage).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_MODELS } from '../server';
import {
  createWorkspace,
  openFile,
  pickQuickPickItem,
  runCommand,
  screenshot,
  waitForNotification,
  waitForStatusBarText,
  waitUntil,
} from './support';
import { startWorkbenchWithApi } from './support/promptMeterWorkbench';
import { exampleFiles } from './support/promptMeterPackage';
import { clickDialogButton, waitForPreviewContaining, setApiKey } from './support/promptMeterUi';
import type { CostReport } from '../../src/core/report/costReportTypes';
import { formatMoney } from '../../src/core/report/formatMoney';
import { ZERO_MONEY } from '../../src/core/report/money';
import { cliJson } from './support/promptMeterPackage';
import { webviewFrame } from './support';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';

const SECRET = fakeApiKey('e2e-secret-never-logged');

test('running prompts in real VS Code against the test server', { timeout: 400_000 }, async (t) => {
  const files = exampleFiles();
  const workspace = createWorkspace(
    Object.fromEntries(Object.entries(files).filter(([name]) => /faq-answer|ticket-triage|email-tone/.test(name))),
    'pm-e2e-runs-',
  );
  const { api, server } = await startWorkbenchWithApi(t, {
    workspace,
    name: 'runs',
    api: { latencyMs: 30, rpm: 1200, tpm: 400_000 },
  });
  const { page } = server;

  await t.test('Set API Key stores the key in secret storage', async () => {
    // Open a prompt first: the palette lists contributed commands reliably once the workbench has settled.
    await openFile(page, 'prompts/faq-answer.prompt.md');
    await waitForStatusBarText(page, /tokens · .* · gpt-/, { timeout: 60_000 });
    await setApiKey(page, SECRET);
  });

  await t.test(
    'Run Prompt streams the answer into a rendered result (Markdown preview) with model, tokens, cost and cache state',
    async () => {
      await openFile(page, 'prompts/faq-answer.prompt.md');
      await runCommand(page, 'Prompt Meter: Run Prompt');
      const result = await waitForPreviewContaining(page, /tokens in .* out .* cost \$.*fresh answer/, 60_000);
      assert.match(result, /model gpt-4o-mini · /, 'rendered: the bold model name shows without its ** marks');
      assert.doesNotMatch(result, /\*\*/, 'no raw Markdown in the rendered result');
      assert.match(result, / \d+ ms /, 'latency in whole milliseconds');
      assert.match(result, /Answer: /, 'the answer text from the server is shown');
      assert.equal(api.stats().completionsServed, 1);
      await screenshot(page, 'runs-result-editor');
    },
  );

  await t.test('running it again is a cache hit in the same result tab: no HTTP call, marked cached', async () => {
    await openFile(page, 'prompts/faq-answer.prompt.md');
    await runCommand(page, 'Prompt Meter: Run Prompt');
    await waitForPreviewContaining(page, /cached \((memory|disk)\) — saved \$/, 60_000);
    assert.equal(api.stats().completionsServed, 1, 'the second run made no call');
    const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
    assert.equal(
      tabs.filter((tab) => /Result — faq-answer/.test(tab)).length,
      1,
      `one result tab per prompt: ${JSON.stringify(tabs)}`,
    );
    await screenshot(page, 'runs-result-reused-tab');
  });

  await t.test('Run Prompts Folder: summary first, then every job answered and results written', async () => {
    await runCommand(page, 'Prompt Meter: Run Prompts Folder');
    await pickQuickPickItem(page, 'prompts');
    const summary = await clickDialogButton(page, 'Run');
    assert.match(summary, /jobs → \d+ calls/);
    assert.match(summary, /Estimated cost: ~\$/);
    assert.match(summary, /Expected duration/);
    await screenshot(page, 'runs-folder-finished');
    const done = await waitForNotification(page, /run finished — \d+ answered, 0 failed/, { timeout: 120_000 });
    const runs = path.join(workspace, '.promptmeter', 'runs');
    const [runId] = readdirSync(runs);
    const index = JSON.parse(readFileSync(path.join(runs, runId!, 'run.json'), 'utf8'));
    assert.equal(index.status, 'completed');
    assert.equal(index.jobs.pending, 0);
    assert.match(done, new RegExp(`${index.jobs.done} answered`));
    assert.equal(api.stats().duplicateCompletions, 0, 'no request was answered twice');
  });

  await t.test('Retry Failed Jobs sends only the failed job of a finished run', async () => {
    // A prompt on a model the server does not know yet: its job fails (404 model_not_found, not retried).
    writeFileSync(
      path.join(workspace, 'prompts', 'retry-me.prompt.md'),
      '---\nmodel: gpt-4o\nmax_tokens: 32\n---\nName a prime number above 100.\n',
    );
    api.configure({ models: DEFAULT_MODELS.filter((model) => model !== 'gpt-4o') });
    const runs = path.join(workspace, '.promptmeter', 'runs');
    const before = new Set(readdirSync(runs));
    // The earlier run's notice says "… answered, 0 failed" too: cleared, so the next notice is this run's.
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Prompt Meter: Run Prompts Folder');
    await pickQuickPickItem(page, 'prompts');
    const folderPlan = await clickDialogButton(page, 'Run');
    t.diagnostic(`folder plan: ${folderPlan.replace(/\s+/g, ' ')}`);
    const finished = await waitForNotification(page, /run finished — \d+ answered, \d+ failed/, { timeout: 120_000 });
    assert.match(finished, /, 1 failed/, finished);
    const runId = readdirSync(runs).find((name) => !before.has(name))!;
    assert.equal(JSON.parse(readFileSync(path.join(runs, runId, 'run.json'), 'utf8')).jobs.failed, 1);
    api.configure({ models: DEFAULT_MODELS });
    const served = api.stats().completionsServed;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Prompt Meter: Retry Failed Jobs');
    await pickQuickPickItem(page, runId);
    const plan = await clickDialogButton(page, 'Run');
    assert.match(plan, /Retrying the 1 failed job/);
    assert.match(plan, /1 jobs → 1 calls/);
    // Every job of the run is answered now: that count tells this notice from the earlier folder run's.
    const total = JSON.parse(readFileSync(path.join(runs, runId, 'run.json'), 'utf8')).jobs.total as number;
    // Wait on the run's own record (the notice can be hidden into the notification centre before it is read).
    const readIndex = () => JSON.parse(readFileSync(path.join(runs, runId, 'run.json'), 'utf8'));
    await waitUntil(
      page,
      `run ${runId} completed with ${total} answered`,
      async () => {
        const current = readIndex();
        return current.status === 'completed' && current.jobs.failed === 0 && current.jobs.pending === 0
          ? true
          : undefined;
      },
      { timeout: 120_000 },
    );
    assert.equal(api.stats().completionsServed - served, 1, 'only the failed job was sent');
    const index = JSON.parse(readFileSync(path.join(runs, runId, 'run.json'), 'utf8'));
    assert.deepEqual([index.jobs.failed, index.jobs.pending, index.status], [0, 0, 'completed']);
    assert.equal(index.cost.unpriced, 0);
  });

  await t.test(
    "over budget, the plan dialog defaults to Don't Run, shows the budget with its digits and names no CLI flag",
    async () => {
      writeFileSync(
        path.join(workspace, 'prompts', 'budget-probe.prompt.md'),
        '---\nmodel: gpt-4o-mini\nmax_tokens: 32\n---\nSpell "rhythm" backwards.\n',
      );
      mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
      writeFileSync(
        path.join(workspace, '.vscode', 'settings.json'),
        JSON.stringify({ 'promptmeter.budget.monthly': 0.0005 }),
      );
      // The status bar shows the monthly budget once the setting is read (and with its digits, not "$0.00").
      await waitForStatusBarText(page, /\/ \$0\.00050 this month/, { timeout: 60_000 });
      const runs = path.join(workspace, '.promptmeter', 'runs');
      const before = new Set(readdirSync(runs));
      const served = api.stats().completionsServed;
      // On a loaded machine the palette's pick was once lost right after the settings change (no folder picker
      // within 30 s, nothing sent); the command is idempotent until a folder is chosen, so ask once more then.
      await runCommand(page, 'Prompt Meter: Run Prompts Folder');
      const picked = await pickQuickPickItem(page, 'prompts', { timeout: 20_000 }).catch(() => undefined);
      if (!picked) {
        t.diagnostic('the folder picker did not open: running the command again');
        await page.keyboard.press('Escape');
        await runCommand(page, 'Prompt Meter: Run Prompts Folder');
        await pickQuickPickItem(page, 'prompts');
      }
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 60_000 });
      const text = await dialog.innerText();
      const buttons = (await dialog.locator('.monaco-button').allInnerTexts())
        .map((label) => label.trim())
        .filter(Boolean);
      const focused = ((await dialog.locator('.monaco-button:focus').allInnerTexts())[0] ?? '').trim();
      t.diagnostic(`over-budget dialog buttons: ${JSON.stringify(buttons)}, focused: ${focused}`);
      assert.match(text, /monthly budget of \$0\.00050/);
      assert.doesNotMatch(text, /--allow-over-budget|\$0\.00\b/);
      assert.ok(buttons.includes('Run Anyway (Over Budget)'), buttons.join(' | '));
      assert.equal(focused, "Don't Run", "Enter answers Don't Run");
      assert.equal(buttons.filter((label) => label === 'Cancel').length, 1, 'one Cancel button (VS Code’s own)');
      await screenshot(page, 'runs-over-budget-dialog');
      const planned = readdirSync(runs).filter((name) => !before.has(name));
      assert.equal(planned.length, 1, 'the plan shown is of one new run folder');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached', timeout: 30_000 });
      // Cancel at the plan: nothing was sent, so the new run leaves no folder behind (nothing to resume or list).
      await waitUntil(
        page,
        'the declined run folder to be removed',
        async () => (existsSync(path.join(runs, planned[0]!)) ? undefined : true),
        { timeout: 30_000 },
      );
      assert.equal(api.stats().completionsServed, served, 'nothing was sent');
      rmSync(path.join(workspace, '.vscode'), { recursive: true });
      rmSync(path.join(workspace, 'prompts', 'budget-probe.prompt.md'));
    },
  );

  await t.test(
    'after the runs, the Cost Report shows the spend and the cache saving of promptmeter report --json',
    async () => {
      const cli = cliJson<CostReport>(['report'], workspace);
      const cache = cli.savings.causes.find((cause) => cause.cause === 'responseCache');
      assert.ok(cache && cache.amount.knownUsd > 0, 'the second Run Prompt was a cache hit: a saving with evidence');
      assert.ok(cli.spend.month.knownUsd > 0);
      await runCommand(page, 'Prompt Meter: Open Cost Report');
      const frame = await webviewFrame(page, 'Cost Report', { timeout: 60_000 });
      const month = frame.locator('#spend-month .money').first();
      await month.waitFor({ timeout: 60_000 });
      assert.equal(Number(await month.getAttribute('data-usd')), cli.spend.month.knownUsd);
      assert.equal(((await month.textContent()) ?? '').trim(), formatMoney(cli.spend.month));
      const saving = frame.locator('[data-cause="responseCache"] .cause-amount').first();
      assert.equal(Number(await saving.getAttribute('data-usd')), cache.amount.knownUsd);
      await frame.locator('canvas').waitFor();
      await screenshot(page, 'cost-report-after-runs');
      console.log(
        `cost report after runs: month ${formatMoney(cli.spend.month)}, cache saving ${formatMoney(cache.amount)}, dedupe ${formatMoney(cli.savings.causes.find((c) => c.cause === 'dedupe')?.amount ?? ZERO_MONEY)}`,
      );
    },
  );

  await t.test(
    "the Cost Report's recent run opens the run view: job, model, status, cost and output per job",
    async () => {
      const runs = path.join(workspace, '.promptmeter', 'runs');
      const [runId] = readdirSync(runs);
      const jobs = readFileSync(path.join(runs, runId!, 'jobs.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; model: string });
      const frame = await webviewFrame(page, 'Cost Report', { timeout: 60_000 });
      await frame.locator(`[data-run="${runId}"] button`).first().click();
      const table = await waitUntil(
        page,
        'the run view table',
        async () => {
          for (const candidate of page.frames()) {
            const rows = await candidate
              .evaluate(() =>
                Array.from(document.querySelectorAll('table.run-jobs tbody tr')).map((row) => ({
                  job: row.getAttribute('data-job'),
                  cells: Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent ?? ''),
                })),
              )
              .catch(() => []);
            if (rows.length > 0) return rows;
          }
          return undefined;
        },
        { timeout: 60_000 },
      );
      assert.deepEqual(
        table.map((row) => row.job),
        jobs.map((job) => job.id),
        'every job, in plan order',
      );
      for (const row of table) {
        const [id, model, status, cost, output] = row.cells;
        const job = jobs.find((candidate) => candidate.id === id);
        assert.equal(model, job?.model);
        assert.equal(status, 'done');
        assert.match(cost ?? '', /^\$\d/, `a known cost for ${id}: ${cost}`);
        assert.ok((output ?? '').length > 0, `an answer for ${id}`);
      }
      const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
      assert.ok(
        tabs.some((tab) => tab.includes(`Run ${runId}`)),
        `a tab named after the run: ${JSON.stringify(tabs)}`,
      );
      await screenshot(page, 'run-view');
    },
  );

  await t.test('the key is in no file: not settings, ledger, results', async () => {
    const ledger = workspaceLedgerText(workspace);
    assert.ok(ledger.trim().split('\n').length >= 3);
    assert.ok(!ledger.includes(SECRET));
    for (const runId of readdirSync(path.join(workspace, '.promptmeter', 'runs'))) {
      for (const name of readdirSync(path.join(workspace, '.promptmeter', 'runs', runId))) {
        assert.ok(
          !readFileSync(path.join(workspace, '.promptmeter', 'runs', runId, name), 'utf8').includes(SECRET),
          name,
        );
      }
    }
    assert.ok(!readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8').includes(SECRET));
  });
});
