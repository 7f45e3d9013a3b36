import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, tryScreenshot } from './artifacts';
import { CHROMIUM_PATH, codeServerEntry } from './paths';
import { CHROMIUM_ARGS, chromiumDriver } from './playwright';
import {
  killGroup,
  launchServer,
  serverEnvironment,
  stopServer,
  stopServerWhenProcessEnds,
  type CodeServerDirectories,
} from './serverProcess';
import { DEFAULT_TIMEOUT } from './waiting';

export type { CodeServerDirectories };

export interface StartCodeServerOptions {
  /** Folder opened as the workspace (absolute path), or a `.code-workspace` file for a multi-root workspace. */
  workspace: string;
  /** User settings written over DEFAULT_SETTINGS (in this file) and the trust settings; yours win. */
  settings?: Record<string, unknown>;
  /** A .vsix (or several) installed into the fresh extensions folder before the server starts. */
  vsixPath?: string | readonly string[];
  /**
   * false (default): workspace trust is switched off, so no trust dialog covers the page.
   * true: trust stays on and the workspace opens untrusted, in Restricted Mode, without the startup dialog.
   */
  trust?: boolean;
  /** Names the log files and the final screenshot in test-artifacts/e2e/; defaults to the workspace folder name. */
  name?: string;
  /** Browser viewport in CSS pixels; 1400 x 900 by default. */
  viewport?: { width: number; height: number };
}

export interface CodeServer extends CodeServerDirectories {
  /** The workbench URL the page opened (with ?folder= or ?workspace=). */
  url: string;
  /** A Playwright page with the workbench loaded. */
  page: Page;
  browser: Browser;
  workspace: string;
  /** Pid of code-server, which leads the process group that `close()` stops. */
  serverPid: number;
  /** code-server's stdout and stderr. */
  serverLogPath: string;
  /** The page's console errors and warnings and uncaught exceptions. */
  browserLogPath: string;
  /** Takes a last screenshot, closes the browser, stops the server's process group, removes the temp dirs. */
  close(): Promise<void>;
}

/** Stabilising user settings; `trust` and the caller's `settings` are applied over these. */
const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  // VS Code in a browser defaults to auto-save after 1 s and then never marks an editor dirty; desktop's 'off'
  // keeps saving explicit and the dirty state observable.
  'files.autoSave': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
};

/**
 * Installs a .vsix into `extensionsDir` with code-server's own CLI (the same code path as a user's
 * "Install from VSIX"). Throws with code-server's output when the install does not report success.
 */
export async function installExtension(vsixPath: string, directories: CodeServerDirectories): Promise<void> {
  const stateHome = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-install-'));
  try {
    const child = spawn(
      process.execPath,
      [
        codeServerEntry(),
        '--user-data-dir',
        directories.userDataDir,
        '--extensions-dir',
        directories.extensionsDir,
        '--install-extension',
        path.resolve(vsixPath),
      ],
      { env: serverEnvironment(stateHome), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 120_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    }).finally(() => clearTimeout(timer));
    if (code !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`installing ${vsixPath} failed (exit ${code}):\n${output.trim()}`);
    }
  } finally {
    rmSync(stateHome, { recursive: true, force: true });
  }
}

/**
 * Starts real VS Code (code-server) on `workspace` with fresh user-data and extensions folders, optionally with
 * a .vsix installed, and opens it in headless Chromium. Resolves once the workbench is on the page.
 * Always call `close()` (e.g. in `t.after`); exit and signal hooks also kill the server if the run dies first.
 */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run 'bash scripts/install-system-deps.sh' as root`);
  }
  codeServerEntry(); // Fails early, with how to fix it, when scripts/setup-e2e.sh has not run.
  const workspace = path.resolve(options.workspace);
  if (!existsSync(workspace)) throw new Error(`workspace folder ${workspace} does not exist`);
  const name = options.name ?? path.basename(workspace);
  const temporary = mkdtempSync(path.join(os.tmpdir(), 'pm-e2e-'));
  const directories: CodeServerDirectories = {
    userDataDir: path.join(temporary, 'user-data'),
    extensionsDir: path.join(temporary, 'extensions'),
  };
  const stateHome = path.join(temporary, 'home');
  mkdirSync(path.join(directories.userDataDir, 'User'), { recursive: true });
  mkdirSync(directories.extensionsDir, { recursive: true });
  const trustSettings = options.trust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }
    : { 'security.workspace.trust.enabled': false };
  const settings = { ...DEFAULT_SETTINGS, ...trustSettings, ...options.settings };
  writeFileSync(path.join(directories.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const vsixPaths = options.vsixPath === undefined ? [] : [options.vsixPath].flat();
  try {
    for (const vsix of vsixPaths) await installExtension(vsix, directories);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }

  const serverLogPath = artifactPath(`${name}.server`, 'log');
  const browserLogPath = artifactPath(`${name}.browser`, 'log');
  const { child, ready } = launchServer(workspace, directories, stateHome, serverLogPath);
  const releaseProcessHooks = stopServerWhenProcessEnds(child, temporary);

  let browser: Browser | undefined;
  let page: Page | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (page) await tryScreenshot(page, `${name}-final`);
    await browser?.close().catch(() => undefined);
    await stopServer(child);
    releaseProcessHooks();
    rmSync(temporary, { recursive: true, force: true });
  };

  try {
    const serverUrl = await ready;
    const query = workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${serverUrl}/?${query}=${encodeURIComponent(workspace)}`;
    browser = await chromiumDriver().launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
      // Chromium's crash-report and dconf folders go to the temp home too, not $HOME.
      env: serverEnvironment(stateHome),
      // Signals are handled by stopServerWhenProcessEnds; Playwright's 'exit' hook still kills the browser.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    context.setDefaultTimeout(DEFAULT_TIMEOUT);
    page = await context.newPage();
    recordBrowserLog(page, browserLogPath);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    return {
      ...directories,
      url,
      page,
      browser,
      workspace,
      serverPid: child.pid ?? -1,
      serverLogPath,
      browserLogPath,
      close,
    };
  } catch (error) {
    await close();
    throw new Error(
      `starting code-server for ${workspace} failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

function recordBrowserLog(page: Page, logPath: string): void {
  const log = createWriteStream(logPath);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      log.write(`[${message.type()}] ${message.text()}\n`);
  });
  page.on('pageerror', (error) => log.write(`[pageerror] ${error.stack ?? error.message}\n`));
  page.once('close', () => log.end());
}

/**
 * {@link startCodeServer} for one test: when the test ends (or start-up fails) the server closes, `cleanUp` runs
 * (e.g. stopping a test API server) and the workspace folder is removed.
 */
export async function startCodeServerForTest(
  t: { after(fn: () => Promise<void>): void },
  options: StartCodeServerOptions,
  cleanUp: () => Promise<void> = async () => {},
): Promise<CodeServer> {
  const finish = async () => {
    await cleanUp();
    rmSync(options.workspace, { recursive: true, force: true });
  };
  const server = await startCodeServer(options).catch(async (error: unknown) => {
    await finish();
    throw error;
  });
  t.after(async () => {
    await server.close();
    await finish();
  });
  return server;
}
