import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ClientCounters } from '../../src/core/client/clientCounters';
import { repositoryRoot } from './repository';

/** What one client process is told (the JSON argument of clientProcess.ts). */
export interface ClientProcessConfig {
  url: string;
  apiKey: string;
  model: string;
  prompts: string[];
  maxTokens: number;
  rpm: number;
  tpm: number;
  concurrency?: number;
  redisUrl?: string;
  redisKeyPrefix?: string;
  cacheDirectory?: string;
  leaseMs?: number;
  sharedRateLimits?: boolean;
}

/** What one client process reports when done (epoch ms, so several processes' times compare). */
export interface ClientProcessReport {
  startedAt: number;
  finishedAt: number;
  ok: number;
  errors: string[];
  /** Result `cache` field → count (`miss`, `memory`, `redis`, `disk`, `inflight`). */
  sources: Record<string, number>;
  counters: ClientCounters;
  warnings: string[];
}

/** A started client process: built, waiting for {@link go}. */
export interface ClientProcess {
  readonly child: ChildProcess;
  /** Lets it send its prompts. */
  go(): void;
  /** Its report; rejects if it exits without one (killed, crashed). */
  readonly report: Promise<ClientProcessReport>;
}

/** Starts `out/test/support/clientProcess.js` (built by `node esbuild.mjs`) and waits until it is ready. */
export async function startClientProcess(config: ClientProcessConfig): Promise<ClientProcess> {
  const entry = path.join(repositoryRoot(), 'out', 'test', 'support', 'clientProcess.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run 'node esbuild.mjs' first`);
  const child = spawn(process.execPath, [entry, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const received: string[] = [];
  const waiters: Array<() => void> = [];
  lines.on('line', (line) => {
    received.push(line);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = async (index: number): Promise<string> => {
    while (received.length <= index) {
      const more = new Promise<void>((resolve) => waiters.push(resolve));
      const ended = await Promise.race([more.then(() => false), exited.then(() => true)]);
      if (ended && received.length <= index)
        throw new Error(`client process exited (${child.exitCode ?? child.signalCode}) before line ${index + 1}`);
    }
    return received[index] ?? '';
  };
  await nextLine(0);
  const report = nextLine(1).then((line) => JSON.parse(line) as ClientProcessReport);
  report.catch(() => undefined);
  return { child, go: () => child.stdin.write('go\n'), report };
}
