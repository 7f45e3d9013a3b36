import { existsSync } from 'node:fs';
import path from 'node:path';

/** The pinned code-server (= VS Code 1.100.3, the last line that runs on Node 20); see scripts/setup-e2e.sh. */
export const CODE_SERVER_VERSION = '4.100.3';

function isRepositoryRoot(directory: string): boolean {
  return existsSync(path.join(directory, 'package.json')) && existsSync(path.join(directory, 'esbuild.mjs'));
}

function findUp(start: string): string | undefined {
  let directory = path.resolve(start);
  for (;;) {
    if (isRepositoryRoot(directory)) return directory;
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * The repository root. Looked up from the bundle's own folder (out/test/e2e/...) and, because e2e tests may
 * also be bundled outside the repository (e.g. /tmp/e2e-out), from the working directory.
 */
export function repositoryRoot(): string {
  const found = findUp(__dirname) ?? findUp(process.cwd());
  if (found === undefined) {
    throw new Error(
      `repository root not found above ${__dirname} or ${process.cwd()}: run the e2e tests from the repository`,
    );
  }
  return found;
}

/** code-server's entry point as installed by scripts/setup-e2e.sh; throws a how-to-fix error when absent. */
export function codeServerEntry(): string {
  const entry = path.join(
    repositoryRoot(),
    '.e2e-cache',
    'code-server',
    'node_modules',
    'code-server',
    'out',
    'node',
    'entry.js',
  );
  if (!existsSync(entry)) {
    throw new Error(`code-server is not installed (${entry} is missing): run 'bash scripts/setup-e2e.sh' first`);
  }
  return entry;
}

/** Where screenshots and server/browser logs go: test-artifacts/e2e/ at the repository root (gitignored). */
export function artifactsDirectory(): string {
  return path.join(repositoryRoot(), 'test-artifacts', 'e2e');
}

/** Headless Debian Chromium; playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
