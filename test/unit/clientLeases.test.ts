import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientLeases } from '../../src/core/client/clientLeases';

/** A closeable that records whether (and how often) it was closed. */
class Resource {
  closes = 0;
  constructor(readonly id: number) {}
  async close(): Promise<void> {
    this.closes += 1;
  }
}

function leases(options: { fail?: boolean } = {}): {
  leases: ClientLeases<Resource>;
  built: Resource[];
  errors: unknown[];
} {
  const built: Resource[] = [];
  const errors: unknown[] = [];
  const created = new ClientLeases<Resource>(
    async () => {
      const resource = new Resource(built.length + 1);
      if (options.fail) resource.close = async () => Promise.reject(new Error('close failed'));
      built.push(resource);
      return resource;
    },
    (error) => errors.push(error),
  );
  return { leases: created, built, errors };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('client leases', () => {
  it('lends one value to every holder until it is renewed', async () => {
    const { leases: pool, built } = leases();
    const [first, second] = await Promise.all([pool.lease(), pool.lease()]);
    assert.equal(first?.value, second?.value);
    assert.equal(built.length, 1);
    assert.equal(pool.holders, 2);
  });

  it('a renew while a run holds the value: the run keeps it open, the next lease gets a new one', async () => {
    const { leases: pool, built } = leases();
    const run = await pool.lease();
    pool.renew();
    await settle();
    assert.equal(built[0]?.closes, 0, 'closed under a running run');
    const next = await pool.lease();
    assert.equal(next?.value.id, 2);
    assert.notEqual(next?.value, run?.value);
    run?.release();
    assert.equal(built[0]?.closes, 1);
    assert.equal(built[1]?.closes, 0);
    next?.release();
    assert.equal(built[1]?.closes, 0, 'the current value stays open when idle');
  });

  it('closes a replaced value at once when nobody holds it, and only once', async () => {
    const { leases: pool, built } = leases();
    const lease = await pool.lease();
    lease?.release();
    lease?.release();
    assert.equal(pool.holders, 0);
    pool.renew();
    pool.renew();
    await settle();
    assert.equal(built[0]?.closes, 1);
  });

  it('two runs on the old value: closed after the last one lets go', async () => {
    const { leases: pool, built } = leases();
    const [a, b] = await Promise.all([pool.lease(), pool.lease()]);
    pool.renew();
    await settle();
    a?.release();
    assert.equal(built[0]?.closes, 0);
    b?.release();
    assert.equal(built[0]?.closes, 1);
  });

  it('a renew racing a lease of the value being built never hands out a closed value', async () => {
    const { leases: pool, built } = leases();
    const pending = pool.lease();
    pool.renew();
    const lease = await pending;
    await settle();
    assert.ok(lease);
    assert.equal(lease.value.closes, 0);
    assert.equal(built.filter((resource) => resource.closes > 0).length, built.length - 1);
  });

  it('no value (no API key) is not kept: the next lease tries again', async () => {
    const keys: { current?: string } = {};
    let builds = 0;
    const pool = new ClientLeases<Resource>(async () => {
      builds += 1;
      return keys.current ? new Resource(builds) : undefined;
    });
    assert.equal(await pool.lease(), undefined);
    keys.current = 'set';
    assert.equal((await pool.lease())?.value.id, 2);
  });

  it('a failing close is reported, not thrown at the holder', async () => {
    const { leases: pool, errors } = leases({ fail: true });
    const lease = await pool.lease();
    pool.renew();
    await settle();
    assert.doesNotThrow(() => lease?.release());
    await settle();
    assert.equal(errors.length, 1);
  });

  it('after dispose nothing new is built and the idle value is closed', async () => {
    const { leases: pool, built } = leases();
    const held = await pool.lease();
    pool.dispose();
    await settle();
    assert.equal(await pool.lease(), undefined);
    assert.equal(built[0]?.closes, 0);
    held?.release();
    assert.equal(built[0]?.closes, 1);
  });
});
