import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryTier } from '../../src/core/cache/memoryTier';

describe('MemoryTier', () => {
  test('stays within its byte bound, evicting the least recently used', async () => {
    const tier = new MemoryTier(1_000);
    const value = 'x'.repeat(190); // 190 bytes + 10-byte key = 200 bytes per entry
    for (let index = 0; index < 10; index += 1) {
      await tier.set(`key-${String(index).padStart(6, '0')}`, value);
      assert.ok(tier.sizeBytes <= 1_000, `size ${tier.sizeBytes}`);
    }
    assert.equal(tier.sizeBytes, 1_000);
    assert.equal(await tier.get('key-000000'), undefined);
    assert.equal(await tier.get('key-000009'), value);
  });

  test('a read keeps an entry alive', async () => {
    const tier = new MemoryTier(600);
    const value = 'y'.repeat(190);
    await tier.set('key-aaaaa', value);
    await tier.set('key-bbbbb', value);
    await tier.set('key-ccccc', value);
    assert.equal(await tier.get('key-aaaaa'), value);
    await tier.set('key-ddddd', value);
    assert.equal(await tier.get('key-aaaaa'), value);
    assert.equal(await tier.get('key-bbbbb'), undefined);
  });

  test('counts bytes, not characters', async () => {
    const tier = new MemoryTier(100);
    await tier.set('k', 'é'.repeat(60)); // 120 bytes: larger than the whole bound
    assert.equal(await tier.get('k'), undefined);
    assert.equal(tier.sizeBytes, 0);
  });

  test('delete and close empty it', async () => {
    const tier = new MemoryTier(1_000);
    await tier.set('a', '1');
    await tier.set('b', '2');
    await tier.delete('a');
    assert.equal(await tier.get('a'), undefined);
    await tier.close();
    assert.equal(await tier.get('b'), undefined);
  });
});
