import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskTier } from '../../src/core/cache/diskTier';
import { MemoryTier } from '../../src/core/cache/memoryTier';
import { ResponseCache } from '../../src/core/cache/responseCache';

const directories: string[] = [];
async function freshDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'promptmeter-disk-'));
  directories.push(directory);
  return directory;
}

async function contentFiles(directory: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(directory, 'content-v2'), { recursive: true })) {
    const full = path.join(directory, 'content-v2', entry);
    if ((await stat(full)).isFile()) found.push(full);
  }
  return found;
}

function collectingLogger(): { warn(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (message) => messages.push(message), messages };
}

describe('DiskTier', () => {
  after(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  test('an entry survives a new instance (a restart)', async () => {
    const directory = await freshDirectory();
    await new DiskTier(directory, collectingLogger()).set('key-1', '{"answer":42}');
    const reopened = new DiskTier(directory, collectingLogger());
    assert.equal(await reopened.get('key-1'), '{"answer":42}');
    assert.equal(await reopened.get('key-2'), undefined);
  });

  test('a corrupted content file is dropped (with a warning) and reads as a miss, then can be rewritten', async () => {
    const directory = await freshDirectory();
    const logger = collectingLogger();
    await new DiskTier(directory, logger).set('key-1', '{"answer":42}');
    const [file] = await contentFiles(directory);
    assert.ok(file, 'cacache wrote a content file');
    await writeFile(file, '{"answer":43}');

    const reopened = new DiskTier(directory, logger);
    assert.equal(await reopened.get('key-1'), undefined);
    assert.equal(logger.messages.length, 1);
    assert.match(logger.messages[0] ?? '', /integrity/);
    assert.deepEqual(await contentFiles(directory), [], 'the corrupt content is removed');
    assert.equal(await reopened.get('key-1'), undefined, 'the index entry is gone too: a plain miss now');
    assert.equal(logger.messages.length, 1);

    await reopened.set('key-1', '{"answer":42}');
    assert.equal(await new DiskTier(directory, logger).get('key-1'), '{"answer":42}');
  });

  test('a truncated content file is dropped as well', async () => {
    const directory = await freshDirectory();
    const logger = collectingLogger();
    await new DiskTier(directory, logger).set('key-1', 'a fairly long value that will be cut');
    const [file] = await contentFiles(directory);
    assert.ok(file);
    await writeFile(file, 'a fairly');
    assert.equal(await new DiskTier(directory, logger).get('key-1'), undefined);
    assert.equal(logger.messages.length, 1);
  });

  test('behind the memory tier: a disk hit fills memory', async () => {
    const directory = await freshDirectory();
    await new DiskTier(directory, collectingLogger()).set('key-1', '"v"');
    const memory = new MemoryTier(1_000);
    const cache = new ResponseCache([memory, new DiskTier(directory, collectingLogger())]);
    const parse = (text: string) => JSON.parse(text) as string;
    assert.deepEqual(await cache.get('key-1', parse), { value: 'v', tier: 'disk' });
    assert.equal(await memory.get('key-1'), '"v"');
    assert.deepEqual(await cache.get('key-1', parse), { value: 'v', tier: 'memory' });
  });
});
