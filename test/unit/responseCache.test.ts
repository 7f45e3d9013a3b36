import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CacheTier, CacheTierName } from '../../src/core/cache/cacheTier';
import { MemoryTier } from '../../src/core/cache/memoryTier';
import { ResponseCache } from '../../src/core/cache/responseCache';

/** A second in-memory tier under another name, standing in for disk or Redis. */
function namedTier(name: CacheTierName): CacheTier & { writes: string[] } {
  const memory = new MemoryTier(10_000);
  const writes: string[] = [];
  return {
    name,
    writes,
    get: (key) => memory.get(key),
    set: async (key, value) => {
      writes.push(key);
      await memory.set(key, value);
    },
    delete: (key) => memory.delete(key),
    close: () => memory.close(),
  };
}

const parseNumber = (text: string): number | undefined => {
  const value = JSON.parse(text) as unknown;
  return typeof value === 'number' ? value : undefined;
};

describe('ResponseCache', () => {
  test('peek names the tier a get would hit (same parser: a value get rejects is no hit) and changes nothing', async () => {
    const memory = namedTier('memory');
    const disk = namedTier('disk');
    const redis = namedTier('redis');
    await disk.set('bad', '"not a number"');
    await redis.set('bad', '3');
    await redis.set('k', '7');
    const cache = new ResponseCache([memory, disk, redis]);
    assert.equal(await cache.peek('k', parseNumber), 'redis');
    assert.equal(
      await cache.peek('bad', parseNumber),
      'redis',
      'the unparsable disk value is skipped, as get skips it',
    );
    assert.equal(await cache.peek('missing', parseNumber), undefined);
    assert.equal(await memory.get('k'), undefined, 'nothing copied upwards');
    assert.equal(await disk.get('bad'), '"not a number"', 'nothing deleted');
    assert.deepEqual(
      await cache.get('k', parseNumber),
      { value: 7, tier: 'redis' },
      'the run then hits the tier the plan named',
    );
  });
  test('a hit in the lowest tier fills every tier above it', async () => {
    const memory = namedTier('memory');
    const disk = namedTier('disk');
    const redis = namedTier('redis');
    await redis.set('k', '7');
    const cache = new ResponseCache([memory, disk, redis]);
    assert.deepEqual(await cache.get('k', parseNumber), { value: 7, tier: 'redis' });
    assert.equal(await memory.get('k'), '7');
    assert.equal(await disk.get('k'), '7');
    assert.deepEqual(await cache.get('k', parseNumber), { value: 7, tier: 'memory' });
  });

  test('a value the parser rejects is deleted from its tier and the search goes on below', async () => {
    const memory = namedTier('memory');
    const disk = namedTier('disk');
    await memory.set('k', '"not a number"');
    await disk.set('k', '5');
    const cache = new ResponseCache([memory, disk]);
    assert.deepEqual(await cache.get('k', parseNumber), { value: 5, tier: 'disk' });
    assert.equal(await memory.get('k'), '5');
  });

  test('unparsable JSON counts as a miss, not an exception', async () => {
    const memory = namedTier('memory');
    await memory.set('k', '{"torn');
    const cache = new ResponseCache([memory]);
    assert.equal(await cache.get('k', parseNumber), undefined);
    assert.equal(await memory.get('k'), undefined);
  });

  test('set writes every tier', async () => {
    const tiers = [namedTier('memory'), namedTier('disk'), namedTier('redis')];
    await new ResponseCache(tiers).set('k', '1');
    assert.deepEqual(
      tiers.map((tier) => tier.writes),
      [['k'], ['k'], ['k']],
    );
  });
});
