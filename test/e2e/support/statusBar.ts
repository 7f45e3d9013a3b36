import type { Page } from 'playwright-core';
import { matches, waitUntil, type WaitOptions } from './waiting';

const ITEM = '.part.statusbar .statusbar-item';

/** Every item's text in DOM order, whitespace collapsed, empty ones kept (so indexes match the items). */
async function itemTexts(page: Page): Promise<string[]> {
  const texts = await page.locator(ITEM).allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

/**
 * The visible text of every status bar item, whitespace collapsed, empty ones left out. Codicons such as
 * `$(pulse)` are drawn by CSS and so are not part of the text: "$(pulse) Ready" reads as "Ready".
 */
export async function statusBarTexts(page: Page): Promise<string[]> {
  return (await itemTexts(page)).filter((text) => text.length > 0);
}

/** Waits until a status bar item's text matches `pattern` and returns that text. */
export async function waitForStatusBarText(page: Page, pattern: RegExp, options: WaitOptions = {}): Promise<string> {
  return waitUntil(
    page,
    `status bar text ${String(pattern)}`,
    async () => (await statusBarTexts(page)).find((text) => matches(pattern, text)),
    {
      ...options,
      describeState: async () => `status bar ${JSON.stringify(await statusBarTexts(page))}`,
    },
  );
}

/** Clicks the status bar item whose text matches `pattern` (waiting for it first), i.e. runs its command. */
export async function clickStatusBarItem(page: Page, pattern: RegExp, options: WaitOptions = {}): Promise<void> {
  const index = await waitUntil(
    page,
    `status bar item ${String(pattern)} to click`,
    async () => {
      const found = (await itemTexts(page)).findIndex((text) => text.length > 0 && matches(pattern, text));
      return found >= 0 ? found : undefined;
    },
    { ...options, describeState: async () => `status bar ${JSON.stringify(await statusBarTexts(page))}` },
  );
  await page.locator(ITEM).nth(index).click();
}
