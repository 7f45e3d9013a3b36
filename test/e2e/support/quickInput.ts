import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_TIMEOUT, matches, timeoutError, waitUntil, type WaitOptions } from './waiting';

/** One row of the quick input list (command palette, Quick Open, showQuickPick) as read from the page. */
export interface QuickInputRow {
  index: number;
  /** The main label, e.g. "Harness: Say Hello" or "notes.txt". */
  label: string;
  /** The grey text after the label, e.g. a file's folder; '' when none. */
  description: string;
  /** Whether Enter would pick this row. */
  focused: boolean;
}

function widget(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

function input(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** The rows the quick input shows now ([] when it is hidden). */
export async function quickInputRows(page: Page): Promise<QuickInputRow[]> {
  if (!(await widget(page).isVisible())) return [];
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      index: Number(row.getAttribute('data-index')),
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      focused: row.classList.contains('focused'),
    })),
  );
}

/** Whether the quick input is still loading items (its progress bar runs), so its rows may still change. */
async function isBusy(page: Page): Promise<boolean> {
  return (await page.locator('.quick-input-widget .quick-input-progress.active').count()) > 0;
}

function describeRows(rows: QuickInputRow[]): string {
  if (rows.length === 0) return 'no quick input rows';
  return rows
    .map((row) => JSON.stringify(row.description ? `${row.label} — ${row.description}` : row.label))
    .join(', ');
}

/**
 * Presses `key` until the quick input shows (a press can be lost while focus is inside a webview iframe or the
 * workbench is still restoring), then replaces its text with `text`.
 */
async function openQuickInput(page: Page, key: string, text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await widget(page).waitFor({ state: 'visible', timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt === 3)
        throw await timeoutError(page, `the quick input after pressing ${key}`, 15_000, undefined, error);
      // Give the keyboard back to the workbench: Escape closes whatever swallowed the key.
      await page.keyboard.press('Escape');
    }
  }
  await input(page).fill(text);
}

/**
 * Waits for a row that `accept` approves, then picks it (Enter when it is focused, a click otherwise), and waits
 * until the quick input has moved on: hidden, or showing other rows (a multi-step pick).
 */
async function pickRow(
  page: Page,
  description: string,
  accept: (row: QuickInputRow) => boolean,
  options: WaitOptions,
): Promise<QuickInputRow> {
  const row = await waitUntil(
    page,
    description,
    async () => ((await isBusy(page)) ? undefined : (await quickInputRows(page)).find(accept)),
    {
      ...options,
      describeState: async () => describeRows(await quickInputRows(page)),
    },
  );
  const before = JSON.stringify(await quickInputRows(page));
  if (row.focused) await page.keyboard.press('Enter');
  else await page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[data-index="${row.index}"]`).click();
  await waitUntil(page, `the quick input to close after picking "${row.label}"`, async () =>
    (await widget(page).isVisible()) && JSON.stringify(await quickInputRows(page)) === before ? undefined : true,
  );
  return row;
}

/**
 * Runs a command from the command palette (F1) by its full title as the palette shows it, category included,
 * e.g. "Prompt Meter: Estimate Cost". Contributed commands are listed before their extension activates, so
 * running one also activates it.
 */
export async function runCommand(page: Page, title: string, options: WaitOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
  // The palette lists the commands known when it opened: right after start-up an extension's contributions can
  // arrive later, so reopen it (up to the timeout) rather than wait on a stale list.
  for (;;) {
    await openQuickInput(page, 'F1', `>${title}`);
    const remaining = deadline - Date.now();
    const listed = await waitUntil(
      page,
      `command "${title}"`,
      async () =>
        (await isBusy(page)) ? undefined : (await quickInputRows(page)).some((row) => row.label === title) || undefined,
      {
        timeout: Math.max(1, Math.min(10_000, remaining)),
      },
    ).catch(() => false);
    if (listed || Date.now() >= deadline) break;
    await page.keyboard.press('Escape');
  }
  const total = options.timeout ?? DEFAULT_TIMEOUT;
  await pickRow(
    page,
    `command "${title}" in the command palette (reopened for ${total} ms)`,
    (row) => row.label === title,
    { timeout: 1_000 },
  );
}

/** Picks the item whose label matches `label` in the quick pick that is open (e.g. after `runCommand`). */
export async function pickQuickPickItem(
  page: Page,
  label: RegExp | string,
  options: WaitOptions = {},
): Promise<QuickInputRow> {
  const accept = (row: QuickInputRow): boolean =>
    typeof label === 'string' ? row.label === label : matches(label, row.label);
  return pickRow(page, `quick pick item ${String(label)}`, accept, options);
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P) and resolves once its tab is the active one and its text
 * is on screen. `relativePath` is relative to the workspace folder, with forward slashes.
 */
export async function openFile(page: Page, relativePath: string, options: WaitOptions = {}): Promise<void> {
  const fileName = path.posix.basename(relativePath);
  const folder = path.posix.dirname(relativePath);
  await openQuickInput(page, 'Control+P', relativePath);
  await pickRow(
    page,
    `"${relativePath}" in Quick Open`,
    (row) => row.label === fileName && (folder === '.' || row.description.replace(/\\/g, '/').endsWith(folder)),
    options,
  );
  const activeGroup = page.locator('.part.editor .editor-group-container.active');
  try {
    await activeGroup
      .locator(`.tab.active[data-resource-name="${fileName}"]`)
      .waitFor({ timeout: options.timeout ?? DEFAULT_TIMEOUT });
    await activeGroup
      .locator('.monaco-editor .view-lines')
      .first()
      .waitFor({ timeout: options.timeout ?? DEFAULT_TIMEOUT });
  } catch (error) {
    throw await timeoutError(
      page,
      `the editor tab of ${relativePath}`,
      options.timeout ?? DEFAULT_TIMEOUT,
      undefined,
      error,
    );
  }
}

/**
 * Shows a view by its name (the "View: Open View" picker, i.e. `view <name>` in Quick Open), e.g. a webview view
 * that starts collapsed. Resolves once its pane is expanded.
 */
export async function openView(page: Page, viewTitle: string, options: WaitOptions = {}): Promise<void> {
  await openQuickInput(page, 'F1', `view ${viewTitle}`);
  await pickRow(page, `view "${viewTitle}" in the Open View picker`, (row) => row.label === viewTitle, options);
}
