import type { Page } from 'playwright-core';
import { runCommand } from './quickInput';
import { matches, timeoutError, waitUntil, DEFAULT_TIMEOUT, type WaitOptions } from './waiting';

const TOAST_MESSAGE = '.notifications-toasts .notification-toast .notification-list-item-message';

/**
 * The messages of the notification toasts on screen now. Toasts without buttons hide themselves after about
 * ten seconds, so wait for one with `waitForNotification` (polls every 100 ms) rather than reading later.
 */
export async function notificationTexts(page: Page): Promise<string[]> {
  const texts = await page.locator(TOAST_MESSAGE).allInnerTexts();
  return texts.map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Waits until a notification toast's message matches `pattern` and returns that message. */
export async function waitForNotification(page: Page, pattern: RegExp, options: WaitOptions = {}): Promise<string> {
  return waitUntil(
    page,
    `notification ${String(pattern)}`,
    async () => (await notificationTexts(page)).find((text) => matches(pattern, text)),
    {
      ...options,
      describeState: async () => `notifications ${JSON.stringify(await notificationTexts(page))}`,
    },
  );
}

/**
 * Clicks the button labelled `buttonLabel` on the toast whose message matches `pattern`, e.g. the "Set API Key"
 * action of an error message.
 */
export async function clickNotificationButton(
  page: Page,
  pattern: RegExp,
  buttonLabel: string,
  options: WaitOptions = {},
): Promise<void> {
  const message = await waitForNotification(page, pattern, options);
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: message });
  const button = toast
    .locator('.notification-list-item-buttons-container .monaco-button')
    .filter({ hasText: buttonLabel })
    .first();
  try {
    await button.click({ timeout: options.timeout ?? DEFAULT_TIMEOUT });
  } catch (error) {
    throw await timeoutError(
      page,
      `button "${buttonLabel}" on notification "${message}"`,
      options.timeout ?? DEFAULT_TIMEOUT,
      undefined,
      error,
    );
  }
}

/**
 * Dismisses every notification ("Notifications: Clear All Notifications") and waits until no toast is left, so
 * that the next `waitForNotification` cannot be satisfied by an older toast with a similar message.
 */
export async function clearNotifications(page: Page, options: WaitOptions = {}): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications', options);
  await waitUntil(
    page,
    'all notification toasts to close',
    async () => ((await notificationTexts(page)).length === 0 ? true : undefined),
    {
      ...options,
      describeState: async () => `notifications ${JSON.stringify(await notificationTexts(page))}`,
    },
  );
}
