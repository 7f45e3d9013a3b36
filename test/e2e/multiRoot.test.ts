// Issue 11 end to end: a multi-root workspace keeps each folder's own. A prompt in the second folder reads the
// document it includes from its own folder (counted as the CLI counts it there), and Run Prompt writes its call to
// that folder's ledger, not the first folder's.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fakeApiKey } from '../support/fakeKeys';
import {
  createWorkspace,
  openFile,
  runCommand,
  screenshot,
  waitForStatusBarText,
  waitUntil,
  webviewFrame,
} from './support';
import { startWorkbenchWithApi } from './support/promptMeterWorkbench';
import { cliJson } from './support/promptMeterPackage';
import type { CostReport } from '../../src/core/report/costReportTypes';
import { waitForPreviewContaining, setApiKey } from './support/promptMeterUi';

const SECRET = fakeApiKey('e2e-multi-root');

interface EstimateReport {
  prompts: Array<{ file: string; inputTokens: number; errors?: unknown[] }>;
}

const PROMPT = `---
model: gpt-4o-mini
task: summarize
max_tokens: 120
---
Summarize these release notes in three bullet points:

{{file:notes.md}}
`;

const BETA_NOTES = Array.from(
  { length: 40 },
  (_, index) => `- Release 2.${index}: faster checkout, ${index + 3} bug fixes, and a new export for finance teams.`,
).join('\n');

function tokensIn(statusText: string): number {
  const match = /([\d,]+) tokens/.exec(statusText);
  assert.ok(match, `no token count in status bar text "${statusText}"`);
  return Number(match[1]!.replace(/,/g, ''));
}

/** Every ledger line under `folder/.promptmeter/ledger/`. */
function ledgerLines(folder: string): string[] {
  const ledger = path.join(folder, '.promptmeter', 'ledger');
  if (!existsSync(ledger)) return [];
  return readdirSync(ledger)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(path.join(ledger, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '');
}

test(
  'a multi-root workspace: includes resolve and calls are ledgered in the prompt’s own folder',
  { timeout: 400_000 },
  async (t) => {
    const root = createWorkspace(
      {
        // The first folder has a notes.md at the same relative path, short: reading it would count the wrong document.
        'alpha/prompts/notes.md': '- one short note\n',
        'alpha/README.md': 'The first folder.\n',
        'beta/prompts/summarize.prompt.md': PROMPT,
        'beta/prompts/notes.md': `${BETA_NOTES}\n`,
      },
      'pm-e2e-multiroot-',
    );
    const alpha = path.join(root, 'alpha');
    const beta = path.join(root, 'beta');
    const workspaceFile = path.join(root, 'multi.code-workspace');
    writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }] }, null, 2));
    const { api, server } = await startWorkbenchWithApi(t, {
      workspace: workspaceFile,
      name: 'multi-root',
      api: { latencyMs: 20, rpm: 1200, tpm: 400_000 },
      cleanUp: () => rmSync(root, { recursive: true, force: true }),
    });
    const { page } = server;

    await t.test('the status bar counts the second folder’s own document, as the CLI does in that folder', async () => {
      const cli = cliJson<EstimateReport>(['estimate', 'prompts/summarize.prompt.md'], beta).prompts[0]!;
      assert.ok(cli.inputTokens > 500, `the CLI counted the 40-line notes: ${cli.inputTokens}`);
      await openFile(page, 'prompts/summarize.prompt.md');
      const text = await waitForStatusBarText(page, /tokens · .* · gpt-4o-mini/, { timeout: 60_000 });
      assert.equal(tokensIn(text), cli.inputTokens, `status bar "${text}" vs CLI in beta ${cli.inputTokens}`);
    });

    await t.test('Run Prompt’s call is in the second folder’s ledger; the first folder gets none', async () => {
      await setApiKey(page, SECRET);
      await openFile(page, 'prompts/summarize.prompt.md');
      const before = api.stats().completionsServed;
      await runCommand(page, 'Prompt Meter: Run Prompt');
      await waitForPreviewContaining(page, /model gpt-4o-mini · .*tokens in .* out .* cost \$/, 60_000);
      assert.equal(api.stats().completionsServed, before + 1);
      await waitUntil(
        page,
        'a ledger entry in the second folder',
        async () => (ledgerLines(beta).length > 0 ? true : undefined),
        {
          timeout: 30_000,
        },
      );
      const entry = JSON.parse(ledgerLines(beta).at(-1)!) as { source?: string; model: string };
      assert.equal(entry.source, 'prompts/summarize.prompt.md');
      assert.equal(entry.model, 'gpt-4o-mini');
      assert.deepEqual(ledgerLines(alpha), [], 'nothing in the first folder’s ledger');
      assert.ok(!ledgerLines(beta).some((line) => line.includes(SECRET)), 'the key is not in the ledger');
      await screenshot(page, 'multi-root-run-prompt');
    });

    await t.test(
      'the Cost Report follows the active editor’s folder: the second folder’s spend, as the CLI reports it there',
      async () => {
        const cli = cliJson<CostReport>(['report'], beta);
        assert.ok(cli.spend.month.knownUsd > 0, 'the CLI sees the call in the second folder');
        await openFile(page, 'prompts/summarize.prompt.md');
        await runCommand(page, 'Prompt Meter: Open Cost Report');
        const frame = await webviewFrame(page, 'Cost Report', { timeout: 60_000 });
        const month = frame.locator('#spend-month .money').first();
        await month.waitFor({ timeout: 60_000 });
        assert.equal(Number(await month.getAttribute('data-usd')), cli.spend.month.knownUsd);
        assert.match((await frame.locator('#prices-as-of').textContent()) ?? '', /from the cost ledger of beta\./);
        await screenshot(page, 'multi-root-cost-report');
      },
    );
  },
);
