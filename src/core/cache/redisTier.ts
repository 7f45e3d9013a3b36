import { createClient } from 'redis';
import type { CacheLogger } from './cacheLogger';
import type { CacheTier } from './cacheTier';

/** The few node-redis calls this tier makes, so the generic client type does not leak into ours. */
interface RedisConnection {
  readonly isReady: boolean;
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { expiration: { type: 'EX'; value: number } }): Promise<unknown>;
  del(key: string): Promise<unknown>;
  destroy(): void;
  on(event: 'error' | 'ready', listener: (error?: unknown) => void): unknown;
}

/** Options for the shared tier. */
export interface RedisTierOptions {
  /** `redis://[:password@]host:port[/db]`; never logged (only its host is). */
  url: string;
  logger: CacheLogger;
  /** Prepended to every key so one Redis can hold other data. Default `promptmeter:v1:`. */
  keyPrefix?: string;
  /** Entry lifetime in seconds; default none (Redis eviction policy decides). */
  ttlSeconds?: number;
  /** How long the first use waits for a connection before carrying on without Redis. Default 1 000 ms. */
  connectTimeoutMs?: number;
  /** A command slower than this counts as a miss. Default 1 000 ms. */
  commandTimeoutMs?: number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The optional shared tier, so a team or CI shares one cache. Connects lazily on first use and reconnects in
 * the background. While Redis is down or unreachable every call misses at once (the offline queue is off, so
 * nothing waits) and one warning per outage goes to the logger; the other tiers carry on. Call `close()` when
 * done, or the reconnect timer keeps the process alive.
 */
export class RedisTier implements CacheTier {
  readonly name = 'redis' as const;
  private connection: RedisConnection | undefined;
  private connecting: Promise<unknown> | undefined;
  private outageReported = false;
  private readonly keyPrefix: string;

  constructor(private readonly options: RedisTierOptions) {
    this.keyPrefix = options.keyPrefix ?? 'promptmeter:v1:';
  }

  async get(key: string): Promise<string | undefined> {
    const connection = await this.ready();
    if (!connection) return undefined;
    try {
      const value = await this.withTimeout(connection.get(this.keyPrefix + key));
      return value ?? undefined;
    } catch (error) {
      this.reportOutage(error);
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    const connection = await this.ready();
    if (!connection) return;
    const ttl = this.options.ttlSeconds;
    try {
      await this.withTimeout(
        connection.set(this.keyPrefix + key, value, ttl ? { expiration: { type: 'EX', value: ttl } } : undefined),
      );
    } catch (error) {
      this.reportOutage(error);
    }
  }

  async delete(key: string): Promise<void> {
    const connection = await this.ready();
    if (!connection) return;
    try {
      await this.withTimeout(connection.del(this.keyPrefix + key));
    } catch (error) {
      this.reportOutage(error);
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.connecting = undefined;
    if (connection?.isOpen) connection.destroy();
  }

  /** The connection when it is usable now; `undefined` (after at most the connect timeout) when not. */
  private async ready(): Promise<RedisConnection | undefined> {
    if (!this.connection) this.open();
    const connection = this.connection;
    if (!connection) return undefined;
    if (!connection.isReady && this.connecting) {
      await this.withTimeout(this.connecting, this.options.connectTimeoutMs ?? 1_000).catch(() => undefined);
      this.connecting = undefined;
    }
    if (connection.isReady) return connection;
    this.reportOutage(undefined);
    return undefined;
  }

  private open(): void {
    const connection = createClient({
      url: this.options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.options.connectTimeoutMs ?? 1_000,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
      },
    }) as unknown as RedisConnection;
    connection.on('error', (error) => this.reportOutage(error));
    connection.on('ready', () => {
      if (this.outageReported) this.options.logger.warn(`Redis cache at ${hostOf(this.options.url)} is reachable again.`);
      this.outageReported = false;
    });
    this.connection = connection;
    this.connecting = connection.connect().catch((error: unknown) => this.reportOutage(error));
  }

  private reportOutage(error: unknown): void {
    if (this.outageReported) return;
    this.outageReported = true;
    const detail = (error as { code?: unknown } | undefined)?.code ?? (error instanceof Error ? error.name : 'not ready');
    this.options.logger.warn(
      `Redis cache at ${hostOf(this.options.url)} is unavailable (${String(detail)}); using the memory and disk tiers only.`,
    );
  }

  private withTimeout<T>(promise: Promise<T>, milliseconds = this.options.commandTimeoutMs ?? 1_000): Promise<T> {
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
