import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_OPTIONS, mergeOptions, type TestServerOptions } from './options';
import { createRequestListener } from './router';
import { ServerState } from './serverState';
import type { ServerClock } from './serverClock';
import type { ServerStats } from './stats';

export { canonicalRequestKey } from './canonicalKey';
export { formatResetDuration, parseResetDuration } from './duration';
export { cosineSimilarity, embedText } from './embeddingVector';
export { DEFAULT_MODELS, DEFAULT_OPTIONS } from './options';
export type { FaultProbabilities, RateLimits, ScriptedOutcome, TestServerOptions } from './options';
export type { ServerStats } from './stats';

/** A running OpenAI-compatible test server. */
export interface TestServer {
  /** Base URL for SDK clients, e.g. `http://127.0.0.1:43210/v1`. */
  readonly url: string;
  readonly port: number;
  /** A snapshot of what happened since start or the last `reset()`. */
  stats(): ServerStats;
  /** Changes options while running (shallow merge; see `mergeOptions`). */
  configure(partial: Partial<TestServerOptions>): void;
  /** Zeroes stats, refills rate-limit buckets, restores fault options to their start values. */
  reset(): void;
  /** Stops listening, drops open connections, stops batch timers. */
  close(): Promise<void>;
}

/**
 * Starts a local OpenAI-compatible server (chat, streaming, embeddings, models, files, batches) with OpenAI-style
 * rate limits, prompt caching, latency and seeded fault injection. Listens on 127.0.0.1 and a free port unless
 * told otherwise.
 */
export async function startTestServer(
  options: Partial<TestServerOptions> = {},
  environment: { clock?: ServerClock } = {},
): Promise<TestServer> {
  const state = new ServerState(mergeOptions(DEFAULT_OPTIONS, options), environment.clock);
  const server = createServer({ keepAliveTimeout: 5000 }, createRequestListener(state));
  const { host, port } = state.options();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/v1`,
    port: address.port,
    stats: () => state.stats.snapshot(),
    configure: (partial) => state.configure(partial),
    reset: () => state.reset(),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        state.closeRequested();
        server.close(() => {
          state.dispose();
          resolve();
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
export type { ServerClock } from './serverClock';
