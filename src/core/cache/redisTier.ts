import type { CacheLogger } from './cacheLogger';
import type { CacheTier } from './cacheTier';
import { RedisConnection } from './redisConnection';

/** Options for the shared tier: a connection of its own (`url`, `logger`) or one shared with other users. */
export type RedisTierOptions = (
  | {
      /** `redis://[:password@]host:port[/db]`; never logged (only its host is). */
      url: string;
      logger: CacheLogger;
      /** How long the first use waits for a connection before carrying on without Redis. Default 1 000 ms. */
      connectTimeoutMs?: number;
      /** A command slower than this counts as a miss. Default 1 000 ms. */
      commandTimeoutMs?: number;
    }
  | {
      /** A connection the caller owns (and closes); `close()` of this tier leaves it open. */
      connection: RedisConnection;
    }
) & {
  /** Prepended to every key so one Redis can hold other data. Default `promptmeter:v1:`. */
  keyPrefix?: string;
  /** Entry lifetime in seconds; default none (Redis eviction policy decides). */
  ttlSeconds?: number;
};

/**
 * The optional shared tier, so a team or CI shares one cache. While Redis is down or unreachable every call
 * misses at once and one warning per outage goes to the logger (see {@link RedisConnection}); the other tiers
 * carry on. Call `close()` when done, or the reconnect timer of a connection of its own keeps the process alive.
 */
export class RedisTier implements CacheTier {
  readonly name = 'redis' as const;
  private readonly connection: RedisConnection;
  private readonly ownsConnection: boolean;
  private readonly keyPrefix: string;

  constructor(private readonly options: RedisTierOptions) {
    this.keyPrefix = options.keyPrefix ?? 'promptmeter:v1:';
    this.ownsConnection = !('connection' in options);
    this.connection = 'connection' in options ? options.connection : new RedisConnection(options);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.connection.run((client) => client.get(this.keyPrefix + key));
    return value ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    const ttl = this.options.ttlSeconds;
    await this.connection.run((client) =>
      client.set(this.keyPrefix + key, value, ttl ? { expiration: { type: 'EX', value: ttl } } : undefined),
    );
  }

  async delete(key: string): Promise<void> {
    await this.connection.run((client) => client.del(this.keyPrefix + key));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.connection.close();
  }
}
