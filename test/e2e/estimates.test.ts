// Issue 2 end to end: the packaged .vsix in real VS Code (code-server) driven by headless Chromium.
// Needs `npm run package`, `bash scripts/setup-e2e.sh` and Debian's chromium (scripts/test.sh does all three).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  clickNotificationButton,
  codeLensTexts,
  notificationTexts,
  createWorkspace,
  editorText,
  openFile,
  pickQuickPickItem,
  runCommand,
  saveActiveEditor,
  screenshot,
  startCodeServerForTest,
  statusBarTexts,
  waitForCodeLens,
  waitForNotification,
  waitForStatusBarText,
  waitUntil,
} from './support';
import type { Page } from 'playwright-core';
import { cliJson, exampleFiles, promptMeterVsix } from './support/promptMeterPackage';
import { formatEstimate, formatTokens } from '../../src/core/estimate/formatting';

interface DatasetReport {
  prompts: Array<{ dataset?: { rows: number; inputTokens: number; total: number; batchTotal: number } }>;
}

interface EstimateReport {
  prompts: Array<{ file: string; inputTokens: number; model: string; recommendation: { model: string } | null }>;
  totals: { prompts: number; inputTokens: number };
}

/** "$(symbol-numeric) 1,234 tokens · ~$0.0012 · gpt-4o-mini" → 1234 (the codicon is not in the page text). */
/** The Problems counts of the status bar ("119 1": errors, warnings; the icons are CSS). */
async function problemCounts(page: Page): Promise<{ errors: number; warnings: number }> {
  const item = (await statusBarTexts(page)).find((text) => /^\d+ \d+$/.test(text));
  assert.ok(item, `no problems item in the status bar: ${JSON.stringify(await statusBarTexts(page))}`);
  const [errors, warnings] = item.split(' ').map(Number);
  return { errors: errors!, warnings: warnings! };
}

function tokensIn(statusText: string): number {
  const match = /([\d,]+) tokens/.exec(statusText);
  assert.ok(match, `no token count in status bar text "${statusText}"`);
  return Number(match[1]!.replace(/,/g, ''));
}

test('Prompt Meter estimates in real VS Code', { timeout: 400_000 }, async (t) => {
  // Without examples/.vscode/settings.json (which opens the examples as Markdown), to see VS Code's own validator.
  const files = exampleFiles();
  delete files['.vscode/settings.json'];
  const workspace = createWorkspace(files, 'pm-e2e-estimates-');
  const server = await startCodeServerForTest(t, { workspace, vsixPath: promptMeterVsix(), name: 'estimates' });
  const { page } = server;

  await t.test('the status bar shows the same token count as the CLI for an opened prompt', async () => {
    const cli = cliJson<EstimateReport>(['estimate', 'prompts/faq-answer.prompt.md'], workspace);
    const expected = cli.prompts[0]!;
    await openFile(page, 'prompts/faq-answer.prompt.md');
    const text = await waitForStatusBarText(page, /tokens · .* · gpt-/, { timeout: 60_000 });
    assert.equal(tokensIn(text), expected.inputTokens, `status bar "${text}" vs CLI ${expected.inputTokens}`);
    assert.match(text, new RegExp(`· ${expected.model.replace(/[.]/g, '\\.')}$`));
    assert.match(text, /~\$\d/, 'the cost is shown as an estimate (~$)');
    await screenshot(page, 'estimates-status-bar');
  });

  await t.test(
    'a CodeLens shows tokens, cost bounds and the cheaper fit the CLI finds (none here: every cheaper qa model costs more once valid)',
    async () => {
      const lens = await waitForCodeLens(page, /tokens · input ~\$/);
      assert.match(lens, /output ≤256/);
      assert.match(lens, /batch ~\$/);
      const lenses = await codeLensTexts(page);
      const recommended = cliJson<EstimateReport>(['estimate', 'prompts/faq-answer.prompt.md'], workspace).prompts[0]!
        .recommendation;
      const fit = lenses.find((candidate) => /fits \(qa\).*saves \d+%/.test(candidate));
      if (recommended)
        assert.ok(
          fit?.includes(recommended.model),
          `recommendation lens for ${recommended.model} missing in ${JSON.stringify(lenses)}`,
        );
      else assert.equal(fit, undefined, `the CLI recommends nothing, the lens shows ${fit}`);
      await screenshot(page, 'estimates-codelens');
    },
  );

  await t.test(
    "VS Code's chat prompt-file errors on a Prompt Meter file: offered once, Open as Markdown clears them",
    async () => {
      // VS Code 1.100+ reads *.prompt.md as a Copilot chat prompt file and flags Prompt Meter's front matter keys.
      const offer = /reads faq-answer\.prompt\.md as a Copilot chat prompt file and reports \d+ problem/;
      await waitForNotification(page, offer, { timeout: 90_000 });
      const errorsBefore = await problemCounts(page);
      assert.ok(errorsBefore.errors > 0, `VS Code reports errors before: ${JSON.stringify(errorsBefore)}`);
      await screenshot(page, 'estimates-chat-prompt-conflict');
      await clickNotificationButton(page, offer, 'Open as Markdown');
      await waitForStatusBarText(page, /^Markdown$/, { timeout: 30_000 });
      const settings = JSON.parse(readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      // One choice for the workspace: the folders of every Prompt Meter .prompt.md, in one write.
      assert.deepEqual(settings['files.associations'], {
        '**/prompts/**/*.prompt.md': 'markdown',
        '**/faq/**/*.prompt.md': 'markdown',
      });
      // VS Code keeps the problems it already reported until a reload; Prompt Meter offers one.
      const reloaded = page.waitForEvent('load', { timeout: 60_000 });
      await clickNotificationButton(page, /now opens? as Markdown in this workspace/, 'Reload Window');
      await reloaded;
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await openFile(page, 'prompts/faq-answer.prompt.md', { timeout: 60_000 });
      await waitForStatusBarText(page, /^Markdown$/, { timeout: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // time for a validator that would still run
      assert.equal((await problemCounts(page)).errors, 0, 'no chat prompt-file errors after the reload');
      assert.equal(
        await notificationTexts(page).then((texts) => texts.some((message) => offer.test(message))),
        false,
        'not offered again',
      );
      const text = await waitForStatusBarText(page, /tokens · .* · gpt-/);
      assert.equal(
        tokensIn(text),
        cliJson<EstimateReport>(['estimate', 'prompts/faq-answer.prompt.md'], workspace).prompts[0]!.inputTokens,
        'Prompt Meter estimates it the same',
      );
      await waitForCodeLens(page, /tokens · input ~\$/);
    },
  );

  await t.test('Choose Model writes the picked model into the front matter and the estimate follows', async () => {
    await runCommand(page, 'Prompt Meter: Choose Model');
    await pickQuickPickItem(page, 'gpt-4.1-mini');
    await waitUntil(page, 'front matter to name gpt-4.1-mini', async () =>
      (await editorText(page)).includes('model: gpt-4.1-mini') ? true : undefined,
    );
    await waitForStatusBarText(page, /tokens · .* · gpt-4\.1-mini$/);
    await saveActiveEditor(page);
    const saved = readFileSync(path.join(workspace, 'prompts', 'faq-answer.prompt.md'), 'utf8');
    assert.match(saved, /^model: gpt-4\.1-mini$/m);
    assert.doesNotMatch(saved, /^model: gpt-4o-mini$/m);
    const cli = cliJson<EstimateReport>(['estimate', 'prompts/faq-answer.prompt.md'], workspace);
    assert.equal(cli.prompts[0]!.model, 'gpt-4.1-mini');
    await screenshot(page, 'estimates-choose-model');
  });

  await t.test('a Batch .jsonl shows per-line lenses and a file total equal to the CLI total', async () => {
    const cli = cliJson<EstimateReport>(['estimate', 'prompts/ticket-triage.batch.jsonl'], workspace);
    await openFile(page, 'prompts/ticket-triage.batch.jsonl');
    const text = await waitForStatusBarText(page, new RegExp(`${cli.totals.prompts} requests · `), { timeout: 60_000 });
    assert.equal(tokensIn(text), cli.totals.inputTokens);
    await waitForCodeLens(page, new RegExp(`File total: ${cli.totals.prompts} requests`));
    await screenshot(page, 'estimates-batch-jsonl');
  });

  await t.test(
    'a Korean prompt without max_tokens shows the unbounded-output hint in the status bar tooltip source',
    async () => {
      await openFile(page, 'prompts/korean-summary.prompt.md');
      await waitForStatusBarText(page, /tokens · .* · gpt-/, { timeout: 60_000 });
      const lens = await waitForCodeLens(page, /output unbounded \(no max_tokens\)/);
      assert.match(lens, /tokens/);
    },
  );

  await t.test(
    'a GitHub Models .prompt.yml shows the × rows lens of its testData, as the CLI estimates it',
    async () => {
      const cli = cliJson<DatasetReport>(['estimate', 'prompts/ticket-summary.prompt.yml'], workspace);
      const dataset = cli.prompts[0]!.dataset!;
      await openFile(page, 'prompts/ticket-summary.prompt.yml');
      const lens = await waitForCodeLens(page, /× \d+ rows of testData/, { timeout: 60_000 });
      assert.ok(
        lens.endsWith(
          `× ${dataset.rows} rows of testData: ${formatTokens(dataset.inputTokens)} tokens · ${formatEstimate(dataset.total)} · Batch API ${formatEstimate(dataset.batchTotal)}`,
        ),
        lens,
      );
    },
  );

  await t.test(
    'a prompt with data: shows what running every row of its dataset costs, as the CLI estimates it',
    async () => {
      const cli = cliJson<DatasetReport>(['estimate', 'prompts/faq-from-dataset.prompt.md'], workspace);
      const dataset = cli.prompts[0]!.dataset!;
      await openFile(page, 'prompts/faq-from-dataset.prompt.md');
      const lens = await waitForCodeLens(page, /× \d+ rows of /, { timeout: 60_000 });
      const expected = `× ${dataset.rows} rows of ../data/faq-questions.csv: ${formatTokens(dataset.inputTokens)} tokens · ${formatEstimate(dataset.total)} · Batch API ${formatEstimate(dataset.batchTotal)}`;
      assert.ok(lens.endsWith(expected), `lens "${lens}" vs CLI "${expected}"`);
      await screenshot(page, 'estimates-dataset-lens');
    },
  );
});

test('a Copilot prompt file shows its tokens and no price', { timeout: 300_000 }, async (t) => {
  const text =
    '---\ndescription: Review the open file\nmode: agent\nmodel: GPT-5 mini (copilot)\ntools: [codebase]\n---\nReview ${file} for error handling and naming.\n';
  const workspace = createWorkspace({ '.github/prompts/review.prompt.md': text }, 'pm-e2e-copilot-');
  const server = await startCodeServerForTest(t, { workspace, vsixPath: promptMeterVsix(), name: 'copilot' });
  const cli = cliJson<EstimateReport>(['estimate', '.github/prompts/review.prompt.md'], workspace);
  await openFile(server.page, '.github/prompts/review.prompt.md');
  const status = await waitForStatusBarText(
    server.page,
    /tokens · Copilot prompt file \(no API price\) · gpt-5-mini$/,
    { timeout: 60_000 },
  );
  assert.equal(tokensIn(status), cli.prompts[0]!.inputTokens);
  const lens = await waitForCodeLens(server.page, /Copilot prompt file: chat context, no API price/);
  assert.doesNotMatch(lens, /\$/);
  await screenshot(server.page, 'estimates-copilot-prompt-file');
});

test('estimates work in Restricted Mode (untrusted workspace)', { timeout: 300_000 }, async (t) => {
  const workspace = createWorkspace(
    { 'prompts/hello.prompt.md': '---\nmodel: gpt-4o\nmax_tokens: 64\n---\nSay hello to <|endoftext|> in one line.\n' },
    'pm-e2e-restricted-',
  );
  const server = await startCodeServerForTest(t, {
    workspace,
    vsixPath: promptMeterVsix(),
    name: 'restricted',
    trust: true,
  });
  const cli = cliJson<EstimateReport>(['estimate', 'prompts/hello.prompt.md'], workspace);
  await openFile(server.page, 'prompts/hello.prompt.md');
  const text = await waitForStatusBarText(server.page, /tokens · .* · gpt-4o$/, { timeout: 60_000 });
  assert.equal(tokensIn(text), cli.prompts[0]!.inputTokens);
  await screenshot(server.page, 'estimates-restricted-mode');
});
