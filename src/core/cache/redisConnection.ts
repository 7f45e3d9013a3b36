import { createClient } from 'redis';
import type { CacheLogger } from './cacheLogger';

/** The few node-redis calls Prompt Meter makes, so the generic client type does not leak into ours. */
export interface RedisCommands {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  get(key: string): Promise<string | null>;
  set(
    key: string,
    value: string,
    options?: { expiration?: { type: 'EX' | 'PX'; value: number }; condition?: 'NX' },
  ): Promise<string | null>;
  del(key: string): Promise<unknown>;
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  scriptLoad(script: string): Promise<string>;
}

interface RedisClient extends RedisCommands {
  connect(): Promise<unknown>;
  destroy(): void;
  on(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
}

/** How to reach the shared Redis. */
export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]`; never logged (only its host is). */
  url: string;
  logger: CacheLogger;
  /** How long the first use waits for a connection before carrying on without Redis. Default 1 000 ms. */
  connectTimeoutMs?: number;
  /** A command slower than this counts as an outage for that call. Default 1 000 ms. */
  commandTimeoutMs?: number;
}

/** `host:port` of a Redis URL, the only part of it that may be logged. */
export function redisHostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * One connection to the shared Redis for everything a client keeps there (cache tier, shared rate limits,
 * in-flight leases), so an outage is noticed and reported once: one warning when it goes, one when it is back.
 * Connects lazily on first use and reconnects in the background. While Redis is down, {@link run} returns
 * `undefined` at once (the offline queue is off, so nothing waits) and every user falls back to local state.
 * Call {@link close} when done, or the reconnect timer keeps the process alive.
 */
export class RedisConnection {
  private client: RedisClient | undefined;
  private connecting: Promise<unknown> | undefined;
  private outageReported = false;
  private closed = false;
  private readonly scripts = new Map<string, string>();

  constructor(private readonly options: RedisConnectionOptions) {}

  /** `host:port`, for messages. */
  get host(): string {
    return redisHostOf(this.options.url);
  }

  /**
   * Runs `command` on a ready connection within the command timeout. `undefined` when Redis is unreachable,
   * slow or answers with an error (the outage is reported once); callers treat that as "no shared state now".
   */
  async run<T>(command: (client: RedisCommands) => Promise<T>, timeoutMs?: number): Promise<T | undefined> {
    const client = await this.ready();
    if (!client) return undefined;
    try {
      const result = await this.withTimeout(command(client), timeoutMs ?? this.options.commandTimeoutMs ?? 1_000);
      // A slow Redis comes back without a new 'ready' event: the first command that succeeds ends the outage.
      if (this.outageReported) this.reportBack();
      return result;
    } catch (error) {
      this.reportOutage(error);
      return undefined;
    }
  }

  /**
   * Runs a Lua script by its SHA-1 (EVALSHA), loading it on first use or after Redis forgot it (NOSCRIPT, e.g.
   * after a restart). Scripts are how shared state changes atomically across processes in one round trip.
   */
  evalScript(script: string, keys: string[], args: string[], timeoutMs?: number): Promise<unknown> {
    return this.run(async (client) => {
      const known = this.scripts.get(script);
      if (known) {
        try {
          return await client.evalSha(known, { keys, arguments: args });
        } catch (error) {
          if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
        }
      }
      this.scripts.set(script, await client.scriptLoad(script));
      return client.eval(script, { keys, arguments: args });
    }, timeoutMs);
  }

  /** Closes the connection for good: later commands (say, a limiter's last correction) do nothing. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    if (client?.isOpen) client.destroy();
  }

  /** The client when it is usable now; `undefined` (after at most the connect timeout) when not. */
  private async ready(): Promise<RedisClient | undefined> {
    if (this.closed) return undefined;
    if (!this.client) this.open();
    const client = this.client;
    if (!client) return undefined;
    if (!client.isReady && this.connecting) {
      await this.withTimeout(this.connecting, this.options.connectTimeoutMs ?? 1_000).catch(() => undefined);
      this.connecting = undefined;
    }
    if (client.isReady) return client;
    this.reportOutage(undefined);
    return undefined;
  }

  private open(): void {
    const client = createClient({
      url: this.options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.options.connectTimeoutMs ?? 1_000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
      },
    }) as unknown as RedisClient;
    client.on('error', (error) => this.reportOutage(error));
    client.on('ready', () => {
      if (this.outageReported) this.reportBack();
    });
    this.client = client;
    this.connecting = client.connect().catch((error: unknown) => this.reportOutage(error));
  }

  private reportBack(): void {
    this.outageReported = false;
    this.options.logger.warn(
      `Redis at ${this.host} is reachable again; sharing the cache, rate limits and in-flight calls.`,
    );
  }

  private reportOutage(error: unknown): void {
    if (this.outageReported) return;
    this.outageReported = true;
    const detail =
      (error as { code?: unknown } | undefined)?.code ?? (error instanceof Error ? error.name : 'not ready');
    this.options.logger.warn(
      `Redis cache at ${this.host} is unavailable (${String(detail)}); using the memory and disk tiers, ` +
        "this process's own rate limits and in-flight sharing until it is back.",
    );
  }

  private withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Redis command timed out')), milliseconds);
      timer.unref?.();
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
