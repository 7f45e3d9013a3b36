import type { Locator, Page } from 'playwright-core';
import { runCommand } from './quickInput';
import { DEFAULT_TIMEOUT, matches, timeoutError, waitUntil, type WaitOptions } from './waiting';

/** The text editor of the active editor group (the one `openFile` opened). */
export function activeEditor(page: Page): Locator {
  return page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
}

/**
 * The titles of the CodeLenses shown in the active editor, one entry per lens, top to bottom. Only lenses on
 * lines that are scrolled into view exist in the page.
 */
export async function codeLensTexts(page: Page): Promise<string[]> {
  return activeEditor(page)
    .locator('.codelens-decoration')
    .evaluateAll((decorations) =>
      decorations
        .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
        .flatMap((decoration) =>
          Array.from(decoration.children).map((lens) => (lens as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
        )
        // Lenses on one line are separated by "|" spans.
        .filter((text) => text.length > 0 && text !== '|'),
    );
}

/** Waits until a CodeLens title in the active editor matches `pattern` and returns that title. */
export async function waitForCodeLens(page: Page, pattern: RegExp, options: WaitOptions = {}): Promise<string> {
  return waitUntil(
    page,
    `CodeLens ${String(pattern)}`,
    async () => (await codeLensTexts(page)).find((text) => matches(pattern, text)),
    {
      ...options,
      describeState: async () => `CodeLenses ${JSON.stringify(await codeLensTexts(page))}`,
    },
  );
}

/** Clicks the CodeLens whose title matches `pattern` (waiting for it first), i.e. runs its command. */
export async function clickCodeLens(page: Page, pattern: RegExp, options: WaitOptions = {}): Promise<void> {
  const title = await waitForCodeLens(page, pattern, options);
  await activeEditor(page).locator('.codelens-decoration a').filter({ hasText: title }).first().click();
}

/**
 * The text of the active editor's lines that are rendered, top to bottom. Monaco renders only what is
 * scrolled into view: for a whole long file, save it (`saveActiveEditor`) and read it from disk instead.
 */
export async function editorText(page: Page): Promise<string> {
  const lines = await activeEditor(page)
    .locator('.view-lines .view-line')
    .evaluateAll((elements) =>
      elements
        .map((element) => ({
          top: parseFloat((element as HTMLElement).style.top) || 0,
          text: (element as HTMLElement).textContent ?? '',
        }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text.replace(/\u00a0/g, ' ')),
    );
  return lines.join('\n');
}

/**
 * Focuses the active editor and types `text` as keystrokes (so completions, auto-closing brackets and
 * on-type formatting apply) at the cursor, or after the last character with `{ at: 'end' }`.
 */
export async function typeInEditor(page: Page, text: string, options: { at?: 'cursor' | 'end' } = {}): Promise<void> {
  // Monaco takes input through a hidden textarea, or a div with EditContext in newer versions.
  await activeEditor(page).locator('textarea.inputarea, .native-edit-context').first().focus();
  if (options.at === 'end') await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** Saves the active editor ("File: Save") and waits until its tab no longer shows unsaved changes. */
export async function saveActiveEditor(page: Page, options: WaitOptions = {}): Promise<void> {
  await runCommand(page, 'File: Save', options);
  const dirtyTab = page.locator('.part.editor .editor-group-container.active .tab.active.dirty');
  try {
    await dirtyTab.waitFor({ state: 'detached', timeout: options.timeout ?? DEFAULT_TIMEOUT });
  } catch (error) {
    throw await timeoutError(
      page,
      'the active editor to be saved',
      options.timeout ?? DEFAULT_TIMEOUT,
      undefined,
      error,
    );
  }
}
