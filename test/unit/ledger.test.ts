import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Ledger } from '../../src/core/ledger/ledger';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';
import { readLedger } from '../../src/core/ledger/readLedger';

const directories: string[] = [];
async function ledgerPath(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'promptmeter-ledger-'));
  directories.push(directory);
  return path.join(directory, 'nested', 'ledger.jsonl');
}

function entry(id: string, time: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    version: 1,
    id,
    time,
    endpoint: 'chat.completions',
    model: 'gpt-4o-mini',
    requestKey: 'a'.repeat(64),
    usage: { promptTokens: 10, cachedTokens: 0, completionTokens: 5, reasoningTokens: 0 },
    costUsd: 0.0001,
    latencyMs: 12,
    cache: 'miss',
    retries: 0,
    outcome: 'ok',
    ...overrides,
  };
}

describe('Ledger', () => {
  after(async () => {
    await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
  });

  test('appends one JSON line per entry and reads them back in order', async () => {
    const file = await ledgerPath();
    const ledger = new Ledger(file);
    await ledger.append(entry('1', '2026-01-01T00:00:00.000Z'));
    await ledger.append(entry('2', '2026-01-02T00:00:00.000Z', { cache: 'disk', costUsd: 0, avoidedCostUsd: 0.0001 }));
    const text = await readFile(file, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    const { entries, skippedLines } = await new Ledger(file).read();
    assert.deepEqual(
      entries.map((item) => item.id),
      ['1', '2'],
    );
    assert.equal(entries[1]?.avoidedCostUsd, 0.0001);
    assert.equal(skippedLines, 0);
  });

  test('`since` keeps entries at or after the instant', async () => {
    const file = await ledgerPath();
    const ledger = new Ledger(file);
    for (const [id, day] of [
      ['a', '01'],
      ['b', '02'],
      ['c', '03'],
    ] as const)
      await ledger.append(entry(id, `2026-01-${day}T00:00:00.000Z`));
    const { entries } = await readLedger(file, { since: '2026-01-02T00:00:00.000Z' });
    assert.deepEqual(
      entries.map((item) => item.id),
      ['b', 'c'],
    );
    const { entries: byDate } = await readLedger(file, { since: new Date('2026-01-02T12:00:00Z') });
    assert.deepEqual(
      byDate.map((item) => item.id),
      ['c'],
    );
  });

  test('a torn last line (crash mid-write) is skipped, everything before it is read', async () => {
    const file = await ledgerPath();
    await new Ledger(file).append(entry('1', '2026-01-01T00:00:00.000Z'));
    await appendFile(file, JSON.stringify(entry('2', '2026-01-01T00:00:01.000Z')).slice(0, 40));
    const { entries, skippedLines } = await readLedger(file);
    assert.deepEqual(
      entries.map((item) => item.id),
      ['1'],
    );
    assert.equal(skippedLines, 1);
  });

  test('an append after a torn line starts on a new line, so the new entry is not lost', async () => {
    const file = await ledgerPath();
    await new Ledger(file).append(entry('1', '2026-01-01T00:00:00.000Z'));
    await appendFile(file, '{"version":1,"id":"torn');
    const restarted = new Ledger(file);
    await Promise.all([
      restarted.append(entry('2', '2026-01-01T00:00:02.000Z')),
      restarted.append(entry('3', '2026-01-01T00:00:03.000Z')),
    ]);
    const { entries, skippedLines } = await readLedger(file);
    assert.deepEqual(
      entries.map((item) => item.id),
      ['1', '2', '3'],
    );
    assert.equal(skippedLines, 1);
  });

  test('foreign or invalid lines are skipped, not fatal', async () => {
    const file = await ledgerPath();
    await new Ledger(file).append(entry('1', '2026-01-01T00:00:00.000Z'));
    await appendFile(file, 'hello\n{"version":2,"id":"x"}\n[]\n');
    const { entries, skippedLines } = await readLedger(file);
    assert.equal(entries.length, 1);
    assert.equal(skippedLines, 3);
  });

  test('a missing file is an empty ledger', async () => {
    assert.deepEqual(await readLedger(path.join(tmpdir(), 'does-not-exist', 'ledger.jsonl')), {
      entries: [],
      skippedLines: 0,
    });
  });

  test('many concurrent appends all land, each on its own line', async () => {
    const file = await ledgerPath();
    const ledger = new Ledger(file);
    await Promise.all(
      Array.from({ length: 200 }, (_, index) => ledger.append(entry(String(index), '2026-01-01T00:00:00.000Z'))),
    );
    const { entries, skippedLines } = await readLedger(file);
    assert.equal(entries.length, 200);
    assert.equal(new Set(entries.map((item) => item.id)).size, 200);
    assert.equal(skippedLines, 0);
  });
});
