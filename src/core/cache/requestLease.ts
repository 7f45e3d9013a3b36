import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redisConnection';

/** A held lease on one request key: this process is the one calling the API for it. */
export interface HeldLease {
  /** Extends the lease by its full length again (called while the call runs). */
  renew(): Promise<void>;
  /** Gives the lease up, if still ours (after the answer is stored or the call failed). */
  release(): Promise<void>;
}

/** What asking for a lease gave: ours, someone else's, or no shared store right now. */
export type LeaseAttempt = HeldLease | 'held' | 'unavailable';

/** Where leases live: Redis across machines, lock files beside the disk cache on one machine. */
export interface LeaseStore {
  /** Lease length, ms: how long a crashed owner blocks the others. */
  readonly leaseMs: number;
  acquire(key: string): Promise<LeaseAttempt>;
}

// Compare-and-act on the owner in one atomic step, so a lease that expired and was taken over by another
// process is never extended or deleted by its former owner.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Leases in Redis: `SET <prefix>lease:<request key> <owner> NX PX <leaseMs>`. The value is a random owner id;
 * the key is the request's SHA-256, so Redis holds no prompt text. The lease expires on its own if the owner
 * dies, and the first waiter to ask after that takes over.
 */
export class RedisLeaseStore implements LeaseStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly keyPrefix: string,
    readonly leaseMs: number,
  ) {}

  async acquire(key: string): Promise<LeaseAttempt> {
    const leaseKey = `${this.keyPrefix}lease:${key}`;
    const owner = randomUUID();
    const reply = await this.connection.run((client) =>
      client.set(leaseKey, owner, { expiration: { type: 'PX', value: this.leaseMs }, condition: 'NX' }),
    );
    if (reply === undefined) return 'unavailable';
    if (reply !== 'OK') return 'held';
    const args = [owner, String(this.leaseMs)];
    return {
      renew: async () => {
        await this.connection.evalScript(RENEW_SCRIPT, [leaseKey], args);
      },
      release: async () => {
        await this.connection.evalScript(RELEASE_SCRIPT, [leaseKey], [owner]);
      },
    };
  }
}
