import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserType } from 'playwright-core';
import { repositoryRoot } from './paths';

/**
 * Playwright's Chromium driver, loaded from the repository's node_modules rather than by a bare import: the
 * e2e bundles keep packages external and may be written outside the repository (e.g. /tmp/e2e-out), where
 * Node's normal lookup would not find playwright-core.
 */
export function chromiumDriver(): BrowserType {
  const requireFromRepository = createRequire(path.join(repositoryRoot(), 'package.json'));
  return (requireFromRepository('playwright-core') as typeof import('playwright-core')).chromium;
}

/** Headless Chromium's flags for tests: no sandbox (containers), no GPU, no background traffic or first-run UI. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
