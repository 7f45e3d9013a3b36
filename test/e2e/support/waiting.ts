import type { Page } from 'playwright-core';
import { tryScreenshot } from './artifacts';

/**
 * Default wait in milliseconds. Generous on purpose: a 2-core CI machine running the extension host, the
 * server and Chromium side by side can take several seconds for things that take 100 ms on a laptop.
 */
export const DEFAULT_TIMEOUT = 30_000;

/** How often `waitUntil` polls, in milliseconds. */
const POLL_INTERVAL = 100;

export interface WaitOptions {
  /** Milliseconds before giving up; DEFAULT_TIMEOUT when absent. */
  timeout?: number;
}

/**
 * Polls `probe` until it returns something other than `undefined`, and returns that. On timeout, saves a
 * screenshot named after `description` and throws an error naming what was awaited, what was seen last
 * (`describeState`), and where the screenshot is.
 */
export async function waitUntil<T>(
  page: Page,
  description: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions & { describeState?: () => Promise<string> } = {},
): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL));
  }
  throw await timeoutError(page, description, timeout, options.describeState, lastError);
}

/** Builds the error `waitUntil` throws; exported for helpers that wait through Playwright's own calls. */
export async function timeoutError(
  page: Page,
  description: string,
  timeout: number,
  describeState?: () => Promise<string>,
  cause?: unknown,
): Promise<Error> {
  let state = '';
  if (describeState) {
    try {
      state = ` Last seen: ${await describeState()}.`;
    } catch (error) {
      state = ` (state unavailable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
    }
  }
  const causeText = cause instanceof Error ? ` Last error: ${cause.message.split('\n')[0]}.` : '';
  const shot = await tryScreenshot(page, `failure-${Date.now()}-${description}`);
  return new Error(
    `Timed out after ${timeout} ms waiting for ${description}.${state}${causeText} Screenshot: ${shot}`,
    {
      cause,
    },
  );
}

/** `regex.test(text)` without the `lastIndex` surprise of global/sticky regexes. */
export function matches(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text);
}
