import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDirectory } from './paths';

/** A file name made of `name`: letters, digits, dot, dash and underscore only, at most 120 characters. */
export function artifactFileName(name: string, extension: string): string {
  const safe =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'unnamed';
  return `${safe}.${extension}`;
}

/** A path in test-artifacts/e2e/ for `name`, with the folder created. */
export function artifactPath(name: string, extension: string): string {
  const directory = artifactsDirectory();
  mkdirSync(directory, { recursive: true });
  return path.join(directory, artifactFileName(name, extension));
}

/** Saves a PNG of the whole page as test-artifacts/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = artifactPath(name, 'png');
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/**
 * Like `screenshot`, but never throws (the page may be gone); returns the path or a note why there is none.
 * Used on the failure path, where the original error matters more than the picture.
 */
export async function tryScreenshot(page: Page, name: string): Promise<string> {
  try {
    return await screenshot(page, name);
  } catch (error) {
    return `(no screenshot: ${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}
