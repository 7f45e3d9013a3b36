// Issue 9 end to end: a recommendation applied in real VS Code still runs against a test server that answers as
// OpenAI does (parameter rules per model, hidden reasoning tokens taken from the cap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeApiKey } from '../support/fakeKeys';
import {
  clickNotificationButton,
  createWorkspace,
  openFile,
  pickQuickPickItem,
  runCommand,
  screenshot,
  waitForNotification,
  waitForStatusBarText,
} from './support';
import { startWorkbenchWithApi } from './support/promptMeterWorkbench';
import { exampleFiles } from './support/promptMeterPackage';
import { waitForEditorContaining, waitForPreviewContaining, setApiKey } from './support/promptMeterUi';

const SECRET = fakeApiKey('e2e-recommendations');

test(
  'Recommend Model → Apply → Run Prompt, and a reasoning model chosen with its edits',
  { timeout: 400_000 },
  async (t) => {
    const files = exampleFiles();
    const workspace = createWorkspace(
      {
        'prompts/support-ticket-classify.prompty': files['prompts/support-ticket-classify.prompty']!,
        // Written for gpt-4o: temperature 0 and a 16-token cap, both wrong for a reasoning model.
        'prompts/label.prompt.md':
          '---\nmodel: gpt-4o\nmax_tokens: 16\ntemperature: 0\ntask: classify\n---\nLabel the ticket as billing, bug or other: "I was charged twice in October."\n',
      },
      'pm-e2e-recommend-',
    );
    const { api, server } = await startWorkbenchWithApi(t, {
      workspace,
      name: 'recommendations',
      api: { latencyMs: 20, rpm: 1200, tpm: 400_000 },
    });
    const { page } = server;

    await t.test('set the key', async () => {
      await openFile(page, 'prompts/support-ticket-classify.prompty');
      await waitForStatusBarText(page, /tokens · .* · gpt-4o/, { timeout: 60_000 });
      await setApiKey(page, SECRET);
    });

    let recommended = '';
    await t.test('Recommend Model → Apply writes the model; Run Prompt gets a non-empty, complete answer', async () => {
      await openFile(page, 'prompts/support-ticket-classify.prompty');
      await runCommand(page, 'Prompt Meter: Recommend Model');
      const offer = await waitForNotification(page, /fits this classify task/);
      recommended = /Prompt Meter: (\S+) fits/.exec(offer)?.[1] ?? '';
      assert.ok(recommended, offer);
      await clickNotificationButton(page, /fits this classify task/, 'Apply');
      await waitForStatusBarText(page, new RegExp(`· ${recommended.replace(/[.]/g, '\\.')}`), { timeout: 30_000 });
      const before = api.stats().completionsServed;
      await runCommand(page, 'Prompt Meter: Run Prompt');
      const result = await waitForPreviewContaining(
        page,
        new RegExp(`model ${recommended.replace(/[.]/g, '\\.')} · .*tokens in .* out .* cost \\$`),
        60_000,
      );
      assert.match(result, /Answer: \S+/, 'the answer is not empty');
      assert.doesNotMatch(result, /truncated|cut off|empty answer/i);
      assert.equal(api.stats().completionsServed, before + 1);
      await screenshot(page, 'recommend-apply-run');
    });

    await t.test(
      'Choose Model gpt-5-nano writes the edits that make it run (no temperature, an effort it takes, room for reasoning)',
      async () => {
        await openFile(page, 'prompts/label.prompt.md');
        await waitForStatusBarText(page, /· gpt-4o$/, { timeout: 60_000 });
        await runCommand(page, 'Prompt Meter: Choose Model');
        await pickQuickPickItem(page, /^gpt-5-nano/);
        await waitForStatusBarText(page, /· gpt-5-nano/, { timeout: 30_000 });
        const text = await waitForEditorContaining(page, /reasoning_effort: minimal/, 30_000);
        assert.doesNotMatch(text, /temperature/);
        assert.match(text, /max_tokens: 208/);
        await runCommand(page, 'Prompt Meter: Run Prompt');
        const result = await waitForPreviewContaining(page, /model gpt-5-nano · .*tokens in .* out/, 60_000);
        assert.match(result, /Answer: \S+/, 'reasoning left room for the answer');
        assert.doesNotMatch(result, /truncated|cut off|empty answer/i);
        await screenshot(page, 'choose-reasoning-model-run');
      },
    );

    await t.test(
      'Show Cost Breakdown opens a rendered Markdown preview (not escaped source), named after the prompt',
      async () => {
        await runCommand(page, 'Prompt Meter: Show Cost Breakdown');
        const tab = page.locator('.tabs-container .tab', { hasText: /Preview Cost breakdown — label\.prompt\.md/ });
        await tab.first().waitFor({ timeout: 30_000 });
        assert.doesNotMatch((await tab.first().innerText()).trim(), /\.md\.md/);
        await screenshot(page, 'cost-breakdown-preview');
      },
    );
  },
);
