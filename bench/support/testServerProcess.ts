import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ServerStats, TestServerOptions } from '../../test/server';

/** The local OpenAI-compatible test server in its own process (its own event loop, like a real API). */
export interface ServerProcess {
  readonly url: string;
  stats(): Promise<ServerStats>;
  reset(): Promise<void>;
  configure(partial: Partial<TestServerOptions>): Promise<void>;
  stop(): void;
}

/** Starts `out/test/server/main.js` (built by `node esbuild.mjs`) with `options` and waits for its URL line. */
export async function startServerProcess(options: Partial<TestServerOptions>): Promise<ServerProcess> {
  const entry = path.resolve(__dirname, '..', 'test', 'server', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run 'node esbuild.mjs' first`);
  const child: ChildProcess = spawn(process.execPath, [entry, '--config', JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
  const { url } = JSON.parse(first) as { url: string };
  const control = url.replace(/\/v1$/, '/_control');
  const post = async (route: string, body?: unknown) => {
    const response = await fetch(`${control}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
  };
  return {
    url,
    stats: async () => (await (await fetch(`${control}/stats`)).json()) as ServerStats,
    reset: () => post('reset'),
    configure: (partial) => post('config', partial),
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
