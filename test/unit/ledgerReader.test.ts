// Days and months are local: a fixed zone keeps the expected periods the same on every machine.
process.env.TZ = 'UTC';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LedgerEntry } from '../../src/core/ledger/ledgerEntry';
import { LedgerFolder, migrateLegacyLedger } from '../../src/core/ledger/ledgerFolder';
import { readLedger } from '../../src/core/ledger/readLedger';
import { SegmentedLedger } from '../../src/core/ledger/segmentedLedger';
import { buildCostReport, buildRollupReport, type CostReportOptions } from '../../src/core/report/costReport';
import type { CostReport } from '../../src/core/report/costReportTypes';
import { LedgerReader, type LedgerReaderOptions } from '../../src/core/report/ledgerReader';
import { loadCostReport } from '../../src/core/report/loadCostReport';
import { assertAlmostEqual, keyedTestPrices, randomEntries, randomSource } from './support/randomLedger';
import { ledgerEntry } from './support/reportLedger';

const CHILD = process.env.PROMPTMETER_LEDGER_APPEND_CHILD;
const now = new Date('2026-11-20T12:00:00.000Z');
const options: CostReportOptions = { now, pricing: keyedTestPrices, range: 'all', complete: true };
const readerOptions: LedgerReaderOptions = { pricing: keyedTestPrices, pricingKey: keyedTestPrices.key };
const SEPTEMBER = Date.parse('2026-09-01T00:00:00Z');
const DECEMBER = Date.parse('2026-12-01T00:00:00Z');

const directories: string[] = [];
function folder(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'promptmeter-rollups-'));
  directories.push(directory);
  return path.join(directory, 'ledger');
}

async function reportOf(reader: LedgerReader, report: CostReportOptions = options): Promise<CostReport> {
  const snapshot = await reader.read();
  return buildRollupReport({ rollups: snapshot.rollups }, { ...report, skippedLines: snapshot.skippedLines });
}

/** Appends entries the way two processes would, when run as a child of the "two processes" test. */
async function appendAsChild(ledgerFolder: string, tag: string): Promise<void> {
  const ledger = new SegmentedLedger(ledgerFolder);
  for (let index = 0; index < 300; index += 1) {
    const month = index % 2 === 0 ? '10' : '11';
    await ledger.append(
      ledgerEntry({
        id: `${tag}-${index}`,
        time: `2026-${month}-05T10:${String(index % 60).padStart(2, '0')}:00.000Z`,
        source: `prompts/${tag}.prompt.md`,
        costUsd: 0.001,
      }),
    );
  }
}

if (CHILD) {
  const [ledgerFolder, tag] = CHILD.split('|');
  void appendAsChild(ledgerFolder!, tag!);
} else {
  describe('LedgerReader and daily rollups', () => {
    after(() => {
      for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    });

    test('rollups equal a full recompute on random ledgers, however the reads and writes interleave', async () => {
      for (let seed = 1; seed <= 12; seed += 1) {
        const random = randomSource(seed);
        const ledgerFolder = folder();
        const ledger = new SegmentedLedger(ledgerFolder);
        const entries = randomEntries(random, 40 + Math.floor(random() * 160), SEPTEMBER, DECEMBER);
        const kept = new LedgerReader(
          { folder: ledgerFolder },
          { ...readerOptions, persistAfterBytes: Math.floor(random() * 4000) },
        );
        const written: LedgerEntry[] = [];
        for (const entry of entries) {
          await ledger.append(entry);
          written.push(entry);
          if (random() < 0.08) {
            // The same reader between appends (the view), and a new reader from the rollups on disk (the CLI).
            assertAlmostEqual(await reportOf(kept), buildCostReport(written, options), `seed ${seed}, kept reader`);
            const fresh = new LedgerReader({ folder: ledgerFolder }, readerOptions);
            assertAlmostEqual(await reportOf(fresh), buildCostReport(written, options), `seed ${seed}, new reader`);
          }
        }
        for (const range of [
          { range: 'month' as const },
          { range: 'last7Days' as const },
          { since: new Date('2026-10-10T13:17:00Z') },
        ]) {
          const expected = buildCostReport(entries, { ...options, ...range, range: range.range ?? 'all' });
          const loaded = await loadCostReport({
            ...options,
            ...range,
            range: range.range ?? 'all',
            ledgerPath: ledgerFolder,
            runsFolder: path.join(ledgerFolder, 'no-runs'),
          });
          assertAlmostEqual(loaded, expected, `seed ${seed}, ${JSON.stringify(range)}`);
        }
      }
    });

    test('a torn last line is skipped, never rolled up, and counted once it is completed', async () => {
      const ledgerFolder = folder();
      const ledger = new SegmentedLedger(ledgerFolder);
      const first = ledgerEntry({ time: '2026-11-02T10:00:00Z', costUsd: 0.25 });
      const second = ledgerEntry({ time: '2026-11-03T10:00:00Z', costUsd: 0.5 });
      await ledger.append(first);
      const segment = path.join(ledgerFolder, '2026-11.jsonl');
      const line = `${JSON.stringify(second)}\n`;
      appendFileSync(segment, line.slice(0, 50));
      const reader = new LedgerReader({ folder: ledgerFolder }, { ...readerOptions, persistAfterBytes: 1 });
      const torn = await reportOf(reader);
      assert.equal(torn.ledger.entries, 1);
      assert.equal(torn.ledger.skippedLines, 1, 'the torn line is reported');
      const fromDisk = await reportOf(new LedgerReader({ folder: ledgerFolder }, readerOptions));
      assert.deepEqual(fromDisk, torn, 'the rollup on disk stops before the torn line');
      appendFileSync(segment, line.slice(50));
      const completed = await reportOf(reader);
      assert.equal(completed.ledger.entries, 2);
      assert.equal(completed.ledger.skippedLines, 0);
      assert.equal(completed.spend.range.knownUsd, 0.75);
      // A crash tears a line for good: the next writer starts on a new line, the fragment stays one skipped line.
      appendFileSync(segment, '{"version":1,"id":"cut');
      await new SegmentedLedger(ledgerFolder).append(ledgerEntry({ time: '2026-11-04T10:00:00Z', costUsd: 1 }));
      const after = await reportOf(reader);
      assert.equal(after.ledger.entries, 3);
      assert.equal(after.ledger.skippedLines, 1);
      assertAlmostEqual(after, buildCostReport((await readLedger(segment)).entries, { ...options, skippedLines: 1 }));
    });

    test('two processes appending at once: every entry lands once, and the rollups match the log', async () => {
      const ledgerFolder = folder();
      const reader = new LedgerReader({ folder: ledgerFolder }, { ...readerOptions, persistAfterBytes: 2000 });
      const children = ['a', 'b'].map((tag) =>
        spawn(process.execPath, [__filename], {
          env: { ...process.env, PROMPTMETER_LEDGER_APPEND_CHILD: `${ledgerFolder}|${tag}` },
          stdio: 'inherit',
        }),
      );
      const exited = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
      let running = true;
      void Promise.all(exited).then(() => (running = false));
      let reads = 0;
      while (running) {
        const report = await reportOf(reader);
        assert.ok(report.ledger.entries <= 600);
        reads += 1;
      }
      assert.deepEqual(await Promise.all(exited), [0, 0]);
      const report = await reportOf(reader);
      const entries = (
        await Promise.all(['2026-10.jsonl', '2026-11.jsonl'].map((name) => readLedger(path.join(ledgerFolder, name))))
      ).flatMap((contents) => contents.entries);
      assert.equal(entries.length, 600);
      assert.equal(new Set(entries.map((entry) => entry.id)).size, 600);
      assert.equal(report.ledger.skippedLines, 0, `no torn lines after ${reads} reads during the appends`);
      assertAlmostEqual(report, buildCostReport(entries, options));
      assertAlmostEqual(
        await reportOf(new LedgerReader({ folder: ledgerFolder }, readerOptions)),
        report,
        'from the rollups on disk',
      );
    });

    test('a rollup that is deleted, corrupted, stale or of other prices is rebuilt from the log', async () => {
      const ledgerFolder = folder();
      const ledger = new SegmentedLedger(ledgerFolder);
      const entries = randomEntries(
        randomSource(99),
        120,
        Date.parse('2026-11-01T00:00:00Z'),
        Date.parse('2026-11-20T00:00:00Z'),
      );
      for (const entry of entries) await ledger.append(entry);
      const expected = buildCostReport(entries, options);
      const fresh = async () => {
        const reader = new LedgerReader({ folder: ledgerFolder }, readerOptions);
        const snapshot = await reader.read();
        return {
          rebuilt: snapshot.rebuilt,
          bytesRead: snapshot.bytesRead,
          report: buildRollupReport({ rollups: snapshot.rollups }, { ...options, skippedLines: snapshot.skippedLines }),
        };
      };
      const rollupFile = LedgerFolder.rollupFileOf(ledgerFolder, '2026-11.jsonl');
      const built = await fresh();
      assert.equal(built.rebuilt, 1, 'no rollup yet: built from the log');
      assert.ok(existsSync(rollupFile));
      const reused = await fresh();
      assert.deepEqual(
        [reused.rebuilt, reused.bytesRead],
        [0, 0],
        'the rollup on disk is used and no log byte is read',
      );
      assertAlmostEqual(reused.report, expected);

      rmSync(rollupFile);
      const afterDelete = await fresh();
      assert.equal(afterDelete.rebuilt, 1);
      assertAlmostEqual(afterDelete.report, expected, 'deleted');

      // One bit of one figure (the columns are the file's last bytes).
      const bytes = readFileSync(rollupFile);
      bytes[bytes.length - 20]! ^= 0x10;
      writeFileSync(rollupFile, bytes);
      const afterCorrupt = await fresh();
      assert.equal(afterCorrupt.rebuilt, 1, 'a checksum mismatch is not trusted');
      assertAlmostEqual(afterCorrupt.report, expected, 'corrupted');

      writeFileSync(rollupFile, readFileSync(rollupFile).subarray(0, 100));
      assert.equal((await fresh()).rebuilt, 1, 'a cut rollup');

      // The log changed under the rollup with the same size (edited by hand): the log wins.
      const segment = path.join(ledgerFolder, '2026-11.jsonl');
      const log = readFileSync(segment, 'utf8');
      const edited = log.replace(/"costUsd":0\.0(\d)/, '"costUsd":0.9$1');
      assert.equal(edited.length, log.length);
      writeFileSync(segment, edited);
      const afterEdit = await fresh();
      assert.equal(afterEdit.rebuilt, 1, 'a segment whose bytes differ from the stamp');
      assertAlmostEqual(afterEdit.report, buildCostReport((await readLedger(segment)).entries, options));

      // Shorter than the rollup says: rebuilt.
      writeFileSync(segment, edited.slice(0, edited.lastIndexOf('\n', edited.length - 2) + 1));
      const shorter = await fresh();
      assert.equal(shorter.rebuilt, 1);
      assert.equal(shorter.report.ledger.entries, entries.length - 1);

      const otherPrices = new LedgerReader(
        { folder: ledgerFolder },
        { pricing: keyedTestPrices, pricingKey: 'other prices' },
      );
      assert.equal((await otherPrices.read()).rebuilt, 1, 'savings priced with other prices are not reused');
    });

    test('the old single-file ledger is moved into the folder once, without loss; --ledger FILE reads a file', async () => {
      const ledgerFolder = folder();
      const legacy = LedgerFolder.legacyFileOf(ledgerFolder);
      const old = [
        ledgerEntry({ time: '2026-10-01T10:00:00Z', costUsd: 1 }),
        ledgerEntry({ time: '2026-11-01T10:00:00Z', costUsd: 2 }),
      ];
      writeFileSync(legacy, old.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      const asFile = await loadCostReport({
        ...options,
        ledgerPath: legacy,
        runsFolder: path.join(ledgerFolder, 'runs'),
      });
      assert.equal(asFile.ledger.entries, 2, 'a file named directly is read as it is');
      assert.ok(existsSync(legacy), 'and is not moved');
      assert.ok(!existsSync(LedgerFolder.rollupFileOf(ledgerFolder, 'ledger.jsonl')), 'nor given a rollup');

      const added = ledgerEntry({ time: '2026-11-02T10:00:00Z', costUsd: 4 });
      await new SegmentedLedger(ledgerFolder).append(added);
      assert.ok(!existsSync(legacy), 'the first append moved it');
      const reader = new LedgerReader({ folder: ledgerFolder }, readerOptions);
      assert.equal((await reportOf(reader)).spend.range.knownUsd, 7);
      // A writer of an older version appends to the old path again: moved on the next read, counted once.
      const late = ledgerEntry({ time: '2026-11-03T10:00:00Z', costUsd: 8 });
      writeFileSync(legacy, `${JSON.stringify(late)}\n`);
      const report = await reportOf(reader);
      assert.equal(report.spend.range.knownUsd, 15);
      assert.ok(!existsSync(legacy));
      assert.deepEqual(
        readdirSync(ledgerFolder)
          .filter((name) => name.endsWith('.jsonl'))
          .sort()
          .map((name) => name.replace(/legacy-.*\./, 'legacy-ID.')),
        ['2026-10.jsonl', '2026-11.jsonl', '2026-11.legacy-ID.jsonl'],
      );
      assertAlmostEqual(
        await reportOf(new LedgerReader({ folder: ledgerFolder }, readerOptions)),
        buildCostReport([...old, added, late], options),
      );
    });

    test('the old ledger is split into month segments: every line kept once, existing segments never rewritten', async () => {
      const ledgerFolder = folder();
      const entries = [
        ledgerEntry({ time: '2026-09-30T23:59:59.999Z', costUsd: 1 }),
        ledgerEntry({ time: '2026-10-01T00:00:00.000Z', costUsd: 2 }),
        ledgerEntry({ time: '2026-11-05T10:00:00Z', costUsd: 4 }),
        ledgerEntry({ time: '2026-10-20T10:00:00Z', costUsd: 8 }),
      ];
      const lines = entries.map((entry) => JSON.stringify(entry));
      // A foreign line goes with the line before it; the torn last line is kept (with a newline added).
      const legacyText = `${lines[0]}\n${lines[1]}\nnot json\n${lines[2]}\n\n${lines[3]}\n{"version":1,"id":"torn`;
      writeFileSync(LedgerFolder.legacyFileOf(ledgerFolder), legacyText);
      mkdirSync(ledgerFolder, { recursive: true });
      const current = ledgerEntry({ time: '2026-11-06T10:00:00Z', costUsd: 16 });
      writeFileSync(path.join(ledgerFolder, '2026-11.jsonl'), `${JSON.stringify(current)}\n`);

      const reader = new LedgerReader({ folder: ledgerFolder }, readerOptions);
      const report = await reportOf(reader);
      const names = readdirSync(ledgerFolder).sort();
      const legacyNovember = names.find((name) => name.startsWith('2026-11.legacy-'));
      assert.ok(legacyNovember, `November's old lines sit beside the existing segment: ${names.join(', ')}`);
      assert.deepEqual(
        names.filter((name) => name !== legacyNovember),
        ['2026-09.jsonl', '2026-10.jsonl', '2026-11.jsonl', 'rollups'],
        'no claim or staging folder is left',
      );
      const read = (name: string) => readFileSync(path.join(ledgerFolder, name), 'utf8');
      assert.equal(read('2026-09.jsonl'), `${lines[0]}\n`);
      assert.equal(
        read('2026-10.jsonl'),
        `${lines[1]}\nnot json\n${lines[3]}\n{"version":1,"id":"torn\n`,
        'in file order, October lines from both sides of a November one',
      );
      assert.equal(read('2026-11.jsonl'), `${JSON.stringify(current)}\n`, 'the existing segment is untouched');
      assert.equal(read(legacyNovember!), `${lines[2]}\n`);
      assert.equal(report.ledger.skippedLines, 2, 'the foreign and the torn line are still there, still skipped');
      assertAlmostEqual(report, {
        ...buildCostReport([...entries, current], options),
        ledger: { ...buildCostReport([...entries, current], options).ledger, skippedLines: 2 },
      });

      // Once: nothing left to move, the same report.
      assert.equal(await migrateLegacyLedger(ledgerFolder), false);
      assertAlmostEqual(await reportOf(new LedgerReader({ folder: ledgerFolder }, readerOptions)), report);
    });

    test('a whole-file segment of the earlier migration is split too; a split left by a dead process is finished once', async () => {
      const ledgerFolder = folder();
      mkdirSync(ledgerFolder, { recursive: true });
      const old = [
        ledgerEntry({ time: '2026-09-10T10:00:00Z', costUsd: 1 }),
        ledgerEntry({ time: '2026-10-10T10:00:00Z', costUsd: 2 }),
      ];
      writeFileSync(
        path.join(ledgerFolder, 'migrated-2026-11-01T00-00-00-000Z-abcd1234.jsonl'),
        old.map((entry) => `${JSON.stringify(entry)}\n`).join(''),
      );
      // A process died after copying, while moving the months into place: August is linked but still staged, July not moved.
      const august = ledgerEntry({ time: '2026-08-10T10:00:00Z', costUsd: 4 });
      const july = ledgerEntry({ time: '2026-07-10T10:00:00Z', costUsd: 8 });
      const staging = path.join(ledgerFolder, '.dead');
      mkdirSync(staging);
      writeFileSync(path.join(staging, '2026-08.jsonl'), `${JSON.stringify(august)}\n`);
      linkSync(path.join(staging, '2026-08.jsonl'), path.join(ledgerFolder, '2026-08.jsonl'));
      writeFileSync(path.join(staging, '2026-07.jsonl'), `${JSON.stringify(july)}\n`);
      const claim = path.join(ledgerFolder, 'dead.split');
      writeFileSync(claim, 'the old ledger, already copied');
      // A claim of a process that may still be working is left alone.
      const busy = path.join(ledgerFolder, 'busy.splitting');
      writeFileSync(busy, `${JSON.stringify(ledgerEntry({ time: '2026-06-10T10:00:00Z', costUsd: 32 }))}\n`);
      const later = new Date(Date.now() + 11 * 60 * 1000);
      utimesSync(busy, later, later);

      assert.equal(await migrateLegacyLedger(ledgerFolder, new Date(Date.now() + 10.5 * 60 * 1000)), true);
      assert.deepEqual(readdirSync(ledgerFolder).sort(), [
        '2026-07.jsonl',
        '2026-08.jsonl',
        '2026-09.jsonl',
        '2026-10.jsonl',
        'busy.splitting',
      ]);
      const report = await reportOf(new LedgerReader({ folder: ledgerFolder }, readerOptions));
      assertAlmostEqual(report, buildCostReport([...old, august, july], options));
      assert.equal(await migrateLegacyLedger(ledgerFolder, new Date(Date.now() + 10.5 * 60 * 1000)), false, 'once');
    });

    test('without a price key nothing is written beside the ledger', async () => {
      const ledgerFolder = folder();
      mkdirSync(ledgerFolder, { recursive: true });
      await new SegmentedLedger(ledgerFolder).append(ledgerEntry({ time: '2026-11-02T10:00:00Z', costUsd: 1 }));
      const reader = new LedgerReader({ folder: ledgerFolder }, { pricing: keyedTestPrices });
      assert.equal((await reportOf(reader)).ledger.entries, 1);
      assert.deepEqual(readdirSync(ledgerFolder), ['2026-11.jsonl']);
    });
  });
}
