import type { Page } from 'playwright-core';
import { waitForNotification } from './notifications';
import { runCommand } from './quickInput';
import { DEFAULT_TIMEOUT, waitUntil } from './waiting';

/**
 * User settings for a workspace that runs against the local test server at `apiUrl`: its base URL, and prompt
 * folders' .prompt.md opened as Markdown (as after "Open as Markdown": VS Code's chat prompt-file validation stays
 * out of the way).
 */
export function testServerSettings(apiUrl: string): Record<string, unknown> {
  return {
    'promptmeter.baseUrl': apiUrl,
    'files.associations': { '**/prompts/**/*.prompt.md': 'markdown' },
  };
}

/** "Prompt Meter: Set API Key" with `key`, until VS Code says it is stored (in SecretStorage). */
export async function setApiKey(page: Page, key: string): Promise<void> {
  await runCommand(page, 'Prompt Meter: Set API Key');
  await enterInputBox(page, key);
  await waitForNotification(page, /API key stored/);
}

/** Types into the input box that is open (showInputBox) and presses Enter. */
export async function enterInputBox(page: Page, text: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  await input.fill(text);
  await page.keyboard.press('Enter');
}

/** Clicks the button labelled exactly `label` in the modal dialog (showInformationMessage with `modal: true`); returns the dialog's text. */
export async function clickDialogButton(page: Page, label: string): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: DEFAULT_TIMEOUT });
  const text = (await dialog.innerText()).trim();
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await dialog.locator('a.monaco-button, .monaco-button', { hasText: exact }).first().click();
  await dialog.waitFor({ state: 'detached', timeout: DEFAULT_TIMEOUT });
  return text;
}

/** Waits until some visible editor's rendered lines (white space folded to single spaces) match `pattern`. */
export async function waitForEditorContaining(page: Page, pattern: RegExp, timeout = DEFAULT_TIMEOUT): Promise<string> {
  return waitUntil(
    page,
    `an editor showing ${String(pattern)}`,
    async () => {
      const texts = await page.locator('.part.editor .monaco-editor .view-lines').allInnerTexts();
      return texts.map((text) => text.replace(/[\s\u00a0]+/g, ' ')).find((text) => pattern.test(text));
    },
    { timeout },
  );
}

/**
 * Waits for a rendered Markdown preview (a webview: Run Prompt's result, Show Cost Breakdown) whose text matches
 * `pattern`, and returns that text with whitespace collapsed. Searches every frame, since previews live in nested
 * webview iframes that nothing outside names.
 */
export async function waitForPreviewContaining(
  page: Page,
  pattern: RegExp,
  timeout = DEFAULT_TIMEOUT,
): Promise<string> {
  return waitUntil(
    page,
    `a Markdown preview showing ${String(pattern)}`,
    async () => {
      for (const frame of page.frames()) {
        const text = await frame
          .evaluate(() => (document.querySelector('.markdown-body') ? document.body.innerText : ''))
          .catch(() => '');
        const collapsed = text.replace(/[\s\u00a0]+/g, ' ');
        if (pattern.test(collapsed)) return collapsed;
      }
      return undefined;
    },
    { timeout },
  );
}
