import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, tryScreenshot } from './artifacts';
import { CHROMIUM_PATH, codeServerEntry } from './paths';
import { chromiumDriver } from './playwright';
import { DEFAULT_TIMEOUT } from './waiting';

/** Where an extension is installed and VS Code keeps its user state. */
export interface CodeServerDirectories {
  userDataDir: string;
  extensionsDir: string;
}

export interface StartCodeServerOptions {
  /** Folder opened as the workspace (absolute path). */
  workspace: string;
  /** User settings merged over the stabilising defaults below (yours win). */
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
  /** The workbench URL the page opened (with ?folder=). */
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

const SERVER_READY = /HTTP server listening on (http:\/\/\S+?)\/?\s*$/m;

/**
 * The environment for code-server: the test's own, minus variables that would change what it does
 * (VSCODE_IPC_HOOK_CLI makes it open files in another VS Code instead of serving; node:test's markers), with
 * its config file (written on first run), heartbeat, logs and caches kept under `stateHome` instead of $HOME.
 */
function serverEnvironment(stateHome: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'NODE_TEST_CONTEXT' || key === 'NODE_OPTIONS') continue;
    environment[key] = value;
  }
  environment.XDG_CONFIG_HOME = path.join(stateHome, 'config');
  environment.XDG_DATA_HOME = path.join(stateHome, 'data');
  environment.XDG_CACHE_HOME = path.join(stateHome, 'cache');
  return environment;
}

/** Kills the whole process group led by `child` (code-server forks its server, extension host, pty host...). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Whether any process of the group led by `pid` still exists (zombies not yet reaped count too). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the whole group is gone: SIGKILL is delivered at once, but reaping orphans takes a moment. */
async function groupExited(pid: number | undefined, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (pid !== undefined && groupAlive(pid) && Date.now() < deadline) await delay(50);
}

/**
 * The safety net behind `close()`: the server leads its own process group, so it would outlive a test process
 * that exits or is interrupted (Ctrl+C, a runner's SIGTERM) before `close()` runs. Kills the group then, and
 * re-raises the signal once no other handler is left so the process still ends as it would have.
 * Returns the function that removes these hooks.
 */
function stopServerWhenProcessEnds(child: ChildProcess): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onExit = (): void => killGroup(child, 'SIGKILL');
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    killGroup(child, 'SIGKILL');
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const release = (): void => {
    process.removeListener('exit', onExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };
  process.once('exit', onExit);
  for (const signal of signals) process.once(signal, onSignal);
  return release;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

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
        '--user-data-dir', directories.userDataDir,
        '--extensions-dir', directories.extensionsDir,
        '--install-extension', path.resolve(vsixPath),
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

/** Starts code-server on a free loopback port and resolves with its URL once it says it is listening. */
function launchServer(
  workspace: string,
  directories: CodeServerDirectories,
  stateHome: string,
  logPath: string,
): { child: ChildProcess; ready: Promise<string> } {
  const log = createWriteStream(logPath);
  const child = spawn(
    process.execPath,
    [
      codeServerEntry(),
      '--auth', 'none',
      // Port 0: the OS picks a free port and code-server logs it, so two servers never race for one port.
      '--bind-addr', '127.0.0.1:0',
      '--user-data-dir', directories.userDataDir,
      '--extensions-dir', directories.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      workspace,
    ],
    // detached: the server leads its own process group, so close() can stop it and all its children.
    { env: serverEnvironment(stateHome), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const ready = new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s; log: ${logPath}\n${seen}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = SERVER_READY.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${signal ?? code}) before listening; log: ${logPath}\n${seen}`));
    });
  });
  child.once('exit', () => log.end());
  return { child, ready };
}

/**
 * Starts real VS Code (code-server) on `workspace` with fresh user-data and extensions folders, optionally with
 * a .vsix installed, and opens it in headless Chromium. Resolves once the workbench is on the page.
 * Always call `close()` (e.g. in `t.after`); exit and signal hooks also kill the server if the run dies first.
 */
export async function startCodeServer(options: StartCodeServerOptions): Promise<CodeServer> {
  const workspace = path.resolve(options.workspace);
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
  const releaseProcessHooks = stopServerWhenProcessEnds(child);

  let browser: Browser | undefined;
  let page: Page | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (page) await tryScreenshot(page, `${name}-final`);
    await browser?.close().catch(() => undefined);
    killGroup(child, 'SIGTERM');
    const stopped = await Promise.race([exited(child).then(() => true), delay(5_000).then(() => false)]);
    // The group may outlive its leader (extension host, pty host): always finish with SIGKILL.
    killGroup(child, 'SIGKILL');
    if (!stopped) await exited(child);
    await groupExited(child.pid, 10_000);
    releaseProcessHooks();
    rmSync(temporary, { recursive: true, force: true });
  };

  try {
    const serverUrl = await ready;
    const url = `${serverUrl}/?folder=${encodeURIComponent(workspace)}`;
    browser = await chromiumDriver().launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      // Chromium's crash-report and dconf folders go to the temp home too, not $HOME.
      env: serverEnvironment(stateHome),
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    context.setDefaultTimeout(DEFAULT_TIMEOUT);
    page = await context.newPage();
    recordBrowserLog(page, browserLogPath);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    return { ...directories, url, page, browser, workspace, serverPid: child.pid ?? -1, serverLogPath, browserLogPath, close };
  } catch (error) {
    await close();
    throw new Error(`starting code-server for ${workspace} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function recordBrowserLog(page: Page, logPath: string): void {
  const log = createWriteStream(logPath);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log.write(`[${message.type()}] ${message.text()}\n`);
  });
  page.on('pageerror', (error) => log.write(`[pageerror] ${error.stack ?? error.message}\n`));
  page.once('close', () => log.end());
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
