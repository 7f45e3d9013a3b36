import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry } from './paths';

/** Where an extension is installed and VS Code keeps its user state. */
export interface CodeServerDirectories {
  userDataDir: string;
  extensionsDir: string;
}

const SERVER_READY = /HTTP server listening on (http:\/\/\S+?)\/?\s*$/m;

/**
 * The environment for code-server: the test's own, minus variables that would change what it does
 * (VSCODE_IPC_HOOK_CLI makes it open files in another VS Code instead of serving; node:test's markers), with
 * its config file (written on first run), heartbeat, logs and caches kept under `stateHome` instead of $HOME.
 */
export function serverEnvironment(stateHome: string): NodeJS.ProcessEnv {
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
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
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
 * that exits or is interrupted (Ctrl+C, a runner's SIGTERM) before `close()` runs.
 * - On 'exit': kills the group and removes the temp folders.
 * - On SIGINT/SIGTERM/SIGHUP: the same, then exits with 128 + the signal number, which runs the other 'exit'
 *   hooks (other servers; Playwright's, which kills the browser).
 * Playwright's own signal handlers are switched off at launch: its SIGTERM handler closes the browser but does
 * not exit, which left interrupted test processes hanging. Returns the function that removes these hooks.
 */
export function stopServerWhenProcessEnds(child: ChildProcess, temporary: string): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onExit = (): void => {
    killGroup(child, 'SIGKILL');
    try {
      rmSync(temporary, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A dying process may still write; leaving a temp folder behind is better than throwing in 'exit'.
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    release();
    onExit();
    process.exit(128 + (os.constants.signals[signal] ?? 0));
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

/** Starts code-server on a free loopback port and resolves with its URL once it says it is listening. */
export function launchServer(
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
      '--auth',
      'none',
      // Port 0: the OS picks a free port and code-server logs it, so two servers never race for one port.
      '--bind-addr',
      '127.0.0.1:0',
      '--user-data-dir',
      directories.userDataDir,
      '--extensions-dir',
      directories.extensionsDir,
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
    const timer = setTimeout(
      () => reject(new Error(`code-server did not start within 60 s; log: ${logPath}\n${seen}`)),
      60_000,
    );
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
 * Stops the server: SIGTERM to its process group, SIGKILL after 5 s or once the leader is gone (the extension
 * host or pty host may outlive it), then waits until no process of the group is left.
 */
export async function stopServer(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  const stopped = await Promise.race([exited(child).then(() => true), delay(5_000).then(() => false)]);
  killGroup(child, 'SIGKILL');
  if (!stopped) await exited(child);
  await groupExited(child.pid, 10_000);
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
