import type { FrameLocator, Page } from 'playwright-core';
import { timeoutError, waitUntil, DEFAULT_TIMEOUT, type WaitOptions } from './waiting';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The document of the webview view titled `viewTitle` (its pane must be expanded: see `openView`), as a
 * FrameLocator, so that it keeps working when the webview replaces its content frame.
 *
 * VS Code draws webviews in an overlay laid over their view pane: an outer `iframe.webview` (named after the
 * webview's id) holding the extension's document in an inner `iframe#active-frame`. Nothing in the outer frame
 * names the view, so it is found by position: the visible webview whose box matches the pane body's box.
 */
export async function webviewFrame(page: Page, viewTitle: string, options: WaitOptions = {}): Promise<FrameLocator> {
  const frameName = await waitUntil(
    page,
    `the webview of view "${viewTitle}"`,
    () =>
      page.evaluate((title) => {
        const wanted = title.toLowerCase();
        const pane = Array.from(document.querySelectorAll('.pane')).find(
          (candidate) =>
            (candidate.querySelector('.pane-header .title')?.textContent ?? '').trim().toLowerCase() === wanted,
        );
        const body = pane?.querySelector('.pane-body');
        if (!body) return undefined;
        const target: Box = body.getBoundingClientRect();
        if (target.width === 0 || target.height === 0) return undefined;
        const near = (a: number, b: number): boolean => Math.abs(a - b) <= 2;
        const frame = Array.from(document.querySelectorAll('iframe.webview')).find((candidate) => {
          const box: Box = candidate.getBoundingClientRect();
          return (
            near(box.x, target.x) &&
            near(box.y, target.y) &&
            near(box.width, target.width) &&
            near(box.height, target.height)
          );
        });
        return frame?.getAttribute('name') ?? undefined;
      }, viewTitle),
    {
      ...options,
      describeState: async () =>
        `panes ${JSON.stringify(await page.locator('.pane .pane-header .title').allTextContents())}, ` +
        `${await page.locator('iframe.webview').count()} webview frame(s)`,
    },
  );
  const content = page.frameLocator(`iframe.webview[name="${frameName}"]`).frameLocator('iframe#active-frame');
  try {
    await content.locator('body').waitFor({ state: 'attached', timeout: options.timeout ?? DEFAULT_TIMEOUT });
  } catch (error) {
    throw await timeoutError(
      page,
      `the content of webview "${viewTitle}"`,
      options.timeout ?? DEFAULT_TIMEOUT,
      undefined,
      error,
    );
  }
  return content;
}
