import * as cacache from 'cacache';
import type { CacheLogger } from './cacheLogger';
import type { CacheTier } from './cacheTier';

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The on-disk tier over `cacache` in a given directory: survives restarts, content is addressed and checked by
 * SHA-512 integrity on every read. A corrupt or truncated entry (EINTEGRITY / EBADSIZE) is removed and reported
 * as a miss, so the answer is fetched again and rewritten.
 */
export class DiskTier implements CacheTier {
  readonly name = 'disk' as const;

  constructor(
    readonly directory: string,
    private readonly logger: CacheLogger,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      const entry = await cacache.get(this.directory, key, { memoize: false });
      return entry.data.toString('utf8');
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return undefined;
      if (code === 'EINTEGRITY' || code === 'EBADSIZE') {
        this.logger.warn(`Disk cache entry failed its integrity check (${code}); dropping it and fetching again.`);
        await this.drop(key);
        return undefined;
      }
      this.logger.warn(`Disk cache read failed (${code ?? 'unknown error'}); treating it as a miss.`);
      return undefined;
    }
  }

  async set(key: string, value: string): Promise<void> {
    try {
      await cacache.put(this.directory, key, value);
    } catch (error) {
      this.logger.warn(
        `Disk cache write failed (${errorCode(error) ?? 'unknown error'}); the answer is not cached on disk.`,
      );
    }
  }

  async delete(key: string): Promise<void> {
    await this.drop(key);
  }

  async close(): Promise<void> {}

  private async drop(key: string): Promise<void> {
    try {
      const info = await cacache.get.info(this.directory, key);
      await cacache.rm.entry(this.directory, key, { removeFully: true });
      if (info) await cacache.rm.content(this.directory, info.integrity);
    } catch (error) {
      this.logger.warn(`Could not remove a disk cache entry (${errorCode(error) ?? 'unknown error'}).`);
    }
  }
}
