import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { CacheLogger } from './cacheLogger';
import type { LeaseAttempt, LeaseStore } from './requestLease';

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Leases as lock files beside the disk cache (`<cache>/locks/<request key>.lock`), for processes on one machine
 * that share a disk cache but no Redis. Created with `O_EXCL` (only one process can), renewed by touching its
 * modification time, removed by its owner when the answer is stored; a lock not touched for `leaseMs` belongs
 * to a dead process and is removed by the next waiter, which then takes it.
 */
export class DiskLockStore implements LeaseStore {
  private readonly directory: string;
  private reported = false;
  private created: Promise<unknown> | undefined;

  constructor(
    cacheDirectory: string,
    readonly leaseMs: number,
    private readonly logger: CacheLogger,
  ) {
    this.directory = path.join(cacheDirectory, 'locks');
  }

  async acquire(key: string): Promise<LeaseAttempt> {
    const file = path.join(this.directory, `${key}.lock`);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        this.created ??= mkdir(this.directory, { recursive: true });
        await this.created;
        const handle = await open(file, 'wx');
        // The lock is ours while the file holds our id (not its inode: a file made right after ours was removed
        // can get the same one): a waiter that removed it as stale and made its own must not lose it to us.
        const owner = randomUUID();
        await handle.writeFile(owner);
        await handle.close();
        return {
          renew: async () => {
            const now = new Date();
            await utimes(file, now, now).catch(() => undefined);
          },
          release: async () => {
            const holder = await readFile(file, 'utf8').catch(() => undefined);
            if (holder === owner) await unlink(file).catch(() => undefined);
          },
        };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          this.created = undefined;
          return this.unavailable(error);
        }
      }
      const age = await stat(file).then(
        (info) => Date.now() - info.mtimeMs,
        () => Number.POSITIVE_INFINITY,
      );
      if (age <= this.leaseMs) return 'held';
      await unlink(file).catch(() => undefined);
    }
    return 'held';
  }

  private unavailable(error: unknown): LeaseAttempt {
    if (!this.reported) {
      this.reported = true;
      this.logger.warn(
        `Could not write a lock beside the disk cache (${errorCode(error) ?? 'unknown error'}); identical calls are shared within this process only.`,
      );
    }
    return 'unavailable';
  }
}
