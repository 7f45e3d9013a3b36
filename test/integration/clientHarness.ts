import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { after, afterEach, before } from 'node:test';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PriceUsage } from '../../src/core/client/priceUsage';
import { PromptMeterClient } from '../../src/core/client/promptMeterClient';
import type { PromptMeterClientOptions } from '../../src/core/client/promptMeterClient';
import { Ledger } from '../../src/core/ledger/ledger';
import { fakeApiKey } from '../support/fakeKeys';
import { startTestServer, type TestServer, type TestServerOptions } from '../server/index';

/** The key every harness client uses; tests check it never leaks. */
export const secretKey = fakeApiKey('proj-HARNESS0SECRET0KEY0123456789');

/** Fixed rates, $ per token, so tests can recompute costs: 1 µ$ prompt, 0.5 µ$ cached, 4 µ$ completion. */
export const priceUsage: PriceUsage = (_model, usage) => ({
  costUsd:
    (usage.promptTokens - usage.cachedTokens) * 1e-6 + usage.cachedTokens * 0.5e-6 + usage.completionTokens * 4e-6,
  priceSource: 'test rates',
});

/** A scratch directory per test file, removed by `cleanUp`. */
export class Scratch {
  private readonly directories: string[] = [];

  async directory(prefix = 'promptmeter-client-'): Promise<string> {
    const directory = await mkdtemp(path.join(tmpdir(), prefix));
    this.directories.push(directory);
    return directory;
  }

  async cleanUp(): Promise<void> {
    await Promise.all(this.directories.map((directory) => rm(directory, { recursive: true, force: true })));
  }
}

/** A client against `baseUrl` with fast retries, a disk cache and a ledger in `directory`. */
export function harnessClient(
  baseUrl: string,
  directory: string,
  overrides: Partial<PromptMeterClientOptions> = {},
): { client: PromptMeterClient; ledger: Ledger } {
  const ledger = new Ledger(path.join(directory, 'ledger.jsonl'));
  const client = new PromptMeterClient({
    apiKey: secretKey,
    baseUrl,
    cache: { directory: path.join(directory, 'cache') },
    ledger,
    priceUsage,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    ...overrides,
  });
  return { client, ledger };
}

/** Every file under `directory`, recursively. */
export async function filesUnder(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { recursive: true })) {
    const full = path.join(directory, entry);
    if ((await stat(full)).isFile()) found.push(full);
  }
  return found;
}

/** A one-message chat request. */
export function ask(text: string, extra: Record<string, unknown> = {}) {
  return { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: text }], max_tokens: 64, ...extra };
}

/**
 * The test server and scratch directories of one `describe`: started before its tests, reset after each, closed
 * (and the scratch removed) after all. Call it in the `describe` body.
 */
export function suiteServer(options: Partial<TestServerOptions> = { streamChunkDelayMs: 0 }): {
  readonly server: TestServer;
  readonly scratch: Scratch;
} {
  const scratch = new Scratch();
  let started: TestServer | undefined;
  before(async () => {
    started = await startTestServer(options);
  });
  afterEach(() => started?.reset());
  after(async () => {
    await started?.close();
    await scratch.cleanUp();
  });
  return {
    scratch,
    get server(): TestServer {
      if (!started) throw new Error('suiteServer: the server starts in before(); use it inside a test');
      return started;
    },
  };
}
