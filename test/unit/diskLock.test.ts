import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskLockStore } from '../../src/core/cache/diskLock';

describe('DiskLockStore', () => {
  const directories: string[] = [];
  const scratch = async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'promptmeter-lock-'));
    directories.push(directory);
    return directory;
  };
  after(() => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));
  const logger = { warn: () => undefined };

  test('one holder at a time; released, the next one gets it', async () => {
    const directory = await scratch();
    const first = new DiskLockStore(directory, 10_000, logger);
    const second = new DiskLockStore(directory, 10_000, logger);
    const lease = await first.acquire('abc');
    assert.notEqual(typeof lease, 'string');
    assert.equal(await second.acquire('abc'), 'held');
    assert.notEqual(typeof (await second.acquire('other')), 'string');
    if (typeof lease !== 'string') await lease.release();
    assert.notEqual(typeof (await second.acquire('abc')), 'string');
  });

  test('a lock nobody touched for longer than the lease (a dead owner) is taken over; its owner cannot remove the new one', async () => {
    const directory = await scratch();
    const dead = await new DiskLockStore(directory, 1_000, logger).acquire('k');
    const past = new Date(Date.now() - 5_000);
    await utimes(path.join(directory, 'locks', 'k.lock'), past, past);
    const taken = await new DiskLockStore(directory, 1_000, logger).acquire('k');
    assert.notEqual(typeof taken, 'string');
    if (typeof dead !== 'string') await dead.release();
    assert.deepEqual(await readdir(path.join(directory, 'locks')), ['k.lock']);
    assert.equal(await new DiskLockStore(directory, 1_000, logger).acquire('k'), 'held');
  });

  test('an unwritable cache directory: unavailable with one warning', async () => {
    const warnings: string[] = [];
    const notADirectory = path.join(await scratch(), 'a-file');
    await writeFile(notADirectory, 'not a directory');
    const store = new DiskLockStore(notADirectory, 1_000, { warn: (message) => warnings.push(message) });
    assert.equal(await store.acquire('a'), 'unavailable');
    assert.equal(await store.acquire('b'), 'unavailable');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /identical calls are shared within this process only/);
  });
});
