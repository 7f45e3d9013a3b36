/**
 * bench/ledger — the Cost Report over a year of heavy use: `promptmeter report`'s path (loadCostReport, then
 * JSON.stringify) over synthetic ledgers of 10k / 100k (default) and 1M (`--full`) calls in the real format, next
 * to the floor: a plain line-by-line JSON.parse of the same files, in the same run. Every measure runs in its own
 * child process, so its peak memory (maxRSS) is its own.
 * The peer is the issue's "plain line-by-line JSON.parse" (readline); `floor` is JSON.parse alone on 4 MiB pieces.
 * Times are CPU ms of the whole child process (wall ms too); ratios and targets use CPU time.
 *   first   — no rollups yet: every segment is rolled up from its lines (and the rollups written)
 *   later   — rollups on disk plus the lines after them (the range: this month; `all`: all time)
 *   refresh — the view: a reader kept across refreshes, 200 entries appended, one refresh (bytes read = new bytes)
 *   entries — the approach before rollups (all entries in memory, then the report); up to 100k only
 * Targets (issue 13): first ≤ 2× plain at 1M, later ≤ 1 s, peak ≤ 300 MB, refresh reads only new bytes. Peak is the
 * largest maxRSS of the report's children (first, later, all, refresh), shown next to the plain parse child's.
 * Prints one JSON object, then a one-line summary.  Run: node out/bench/ledger.js [--full] [--sizes 10000,…]
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LedgerEntry } from '../src/core/ledger/ledgerEntry';
import { LedgerFolder } from '../src/core/ledger/ledgerFolder';
import { readLedger } from '../src/core/ledger/readLedger';
import { SegmentedLedger } from '../src/core/ledger/segmentedLedger';
import { MODEL_CATALOG } from '../src/core/models/modelCatalog';
import { buildCostReport, buildRollupReport } from '../src/core/report/costReport';
import { LedgerReader } from '../src/core/report/ledgerReader';
import { loadCostReport } from '../src/core/report/loadCostReport';
import { datedPriceLookup } from '../src/core/report/priceLookup';

const DAYS = 90;
const SOURCES = 2000;
const NOW = new Date('2026-11-20T18:00:00.000Z');
const MODELS = MODEL_CATALOG.filter((model) => model.kind === 'chat' && !model.legacy)
  .slice(0, 5)
  .map((model) => model.id);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Interactive calls over 2,000 prompt files (a few hot, a long tail) and batch runs over folders of 20 files. */
function syntheticEntry(index: number, count: number, next: () => number): LedgerEntry {
  const time = new Date(NOW.getTime() - DAYS * 86_400_000 + Math.floor(((index + next()) * DAYS * 86_400_000) / count));
  const day = Math.floor((time.getTime() - NOW.getTime()) / 86_400_000) + DAYS;
  const inRun = next() < 0.5;
  const run = Math.floor(next() * 4);
  const source = inRun ? (day * 7 + run * 20 + Math.floor(next() * 20)) % SOURCES : Math.floor(SOURCES * next() ** 3);
  const model =
    MODELS[inRun ? run % MODELS.length : next() < 0.9 ? source % MODELS.length : Math.floor(next() * MODELS.length)]!;
  const roll = next();
  const cache =
    roll < 0.75 ? 'miss' : roll < 0.85 ? 'memory' : roll < 0.9 ? 'disk' : roll < 0.95 ? 'inflight' : 'bypass';
  const paid = cache === 'miss' || cache === 'bypass';
  const promptTokens = 200 + Math.floor(next() * 4000);
  const completionTokens = 20 + Math.floor(next() * 800);
  const costUsd = Math.round((promptTokens * 0.4 + completionTokens * 1.6) * 1e3) / 1e12;
  const failed = next() < 0.02;
  return {
    version: 1,
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    time: time.toISOString(),
    source: `prompts/area-${source % 40}/prompt-${source}.prompt.md`,
    ...(inRun ? { runId: `run-${day}-${run}`, jobId: `row-${index % 5000}` } : {}),
    endpoint: 'chat.completions',
    model,
    requestKey: (index * 2654435761).toString(16).padStart(64, '0').slice(-64),
    usage: {
      promptTokens,
      cachedTokens: next() < 0.3 ? Math.floor(promptTokens / 2) : 0,
      completionTokens,
      reasoningTokens: 0,
    },
    costUsd: paid ? costUsd : 0,
    ...(paid ? {} : { avoidedCostUsd: costUsd }),
    priceSource: '@pydantic/genai-prices (bench)',
    ...(inRun && next() < 0.4 ? { batchApi: true } : {}),
    latencyMs: 300 + Math.floor(next() * 3000),
    cache,
    retries: next() < 0.05 ? 1 : 0,
    outcome: failed ? 'error' : 'ok',
    ...(failed
      ? {
          error: {
            status: 500,
            code: 'server_error',
            message: 'The server had an error while processing your request.',
          },
        }
      : {}),
  };
}

/** Writes `count` entries into month segments of `folder`, as `SegmentedLedger` would; returns the bytes written. */
function writeLedger(folder: string, count: number): number {
  mkdirSync(folder, { recursive: true });
  const next = random(13);
  const files = new Map<string, { fd: number; pending: string[] }>();
  let bytes = 0;
  const flush = (file: { fd: number; pending: string[] }) => {
    const text = file.pending.join('');
    bytes += Buffer.byteLength(text);
    writeSync(file.fd, text);
    file.pending = [];
  };
  for (let index = 0; index < count; index += 1) {
    const entry = syntheticEntry(index, count, next);
    const name = LedgerFolder.segmentNameOf(entry.time);
    let file = files.get(name);
    if (!file) files.set(name, (file = { fd: openSync(path.join(folder, name), 'a'), pending: [] }));
    file.pending.push(`${JSON.stringify(entry)}\n`);
    if (file.pending.length >= 5000) flush(file);
  }
  for (const file of files.values()) {
    flush(file);
    closeSync(file.fd);
  }
  return bytes;
}

/** The issue's peer: each segment read line by line (readline) and every line through JSON.parse. */
async function plainParse(folder: string): Promise<number> {
  let lines = 0;
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.jsonl'))) {
    const input = createReadStream(path.join(folder, name), { encoding: 'utf8' });
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      JSON.parse(line);
      lines += 1;
    }
  }
  return lines;
}

/** The floor: every line of every segment through JSON.parse, nothing else, read in 4 MiB pieces as the reader does. */
async function floorParse(folder: string): Promise<number> {
  let lines = 0;
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.jsonl'))) {
    const handle = await open(path.join(folder, name), 'r');
    let pending = '';
    for (;;) {
      const piece = Buffer.alloc(4 * 1024 * 1024);
      const { bytesRead } = await handle.read(piece, 0, piece.length, null);
      if (bytesRead === 0) break;
      const text = pending + piece.toString('utf8', 0, bytesRead);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        JSON.parse(text.slice(start, end));
        lines += 1;
        start = end + 1;
      }
      pending = text.slice(start);
    }
    await handle.close();
  }
  return lines;
}

const reportOptions = (folder: string, range: 'month' | 'all') => ({
  ledgerPath: folder,
  runsFolder: path.join(folder, 'no-runs'),
  now: NOW,
  pricing: datedPriceLookup(),
  range,
});

async function child(mode: string, folder: string): Promise<Record<string, number>> {
  const started = performance.now();
  const extra: Record<string, number> = {};
  if (mode === 'plain') extra.lines = await plainParse(folder);
  else if (mode === 'floor') extra.lines = await floorParse(folder);
  else if (mode === 'first' || mode === 'later' || mode === 'all') {
    if (mode === 'first') rmSync(path.join(folder, 'rollups'), { recursive: true, force: true });
    const report = await loadCostReport(reportOptions(folder, mode === 'all' ? 'all' : 'month'));
    extra.jsonBytes = JSON.stringify(report, null, 2).length;
    extra.calls = report.spend.calls;
  } else if (mode === 'refresh') {
    const reader = new LedgerReader({ folder }, { pricing: datedPriceLookup(), pricingKey: datedPriceLookup().key });
    const options = { ...reportOptions(folder, 'month'), reader };
    await loadCostReport(options);
    const before = segmentBytes(folder);
    const ledger = new SegmentedLedger(folder);
    const next = random(7);
    for (let index = 0; index < 200; index += 1)
      await ledger.append({ ...syntheticEntry(index, 200, next), time: NOW.toISOString() });
    extra.appendedBytes = segmentBytes(folder) - before;
    // One refresh of the view: the new bytes, then the report from every rollup (what loadCostReport does).
    const refreshStart = performance.now();
    const snapshot = await reader.read();
    buildRollupReport({ rollups: snapshot.rollups }, { ...options, skippedLines: snapshot.skippedLines });
    extra.refreshMs = Math.round(performance.now() - refreshStart);
    extra.bytesRead = snapshot.bytesRead;
    extra.rows = snapshot.rollups.reduce((sum, rollup) => sum + rollup.rowCount, 0);
  } else if (mode === 'entries') {
    const entries: LedgerEntry[] = [];
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.jsonl')))
      entries.push(...(await readLedger(path.join(folder, name))).entries);
    extra.jsonBytes = JSON.stringify(buildCostReport(entries, reportOptions(folder, 'month')), null, 2).length;
  }
  const cpu = process.cpuUsage();
  // CPU time of the whole process (start-up included) is steadier than wall time on a shared, busy machine.
  return {
    ms: Math.round(performance.now() - started),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...extra,
  };
}

function ratio(value: number, base: number): number {
  return Math.round((value / base) * 100) / 100;
}

function segmentBytes(folder: string): number {
  return readdirSync(folder)
    .filter((file) => file.endsWith('.jsonl'))
    .reduce((sum, file) => sum + statSync(path.join(folder, file)).size, 0);
}

function measure(mode: string, folder: string): Record<string, number> {
  return JSON.parse(
    execFileSync(process.execPath, [__filename, '--child', mode, folder], { encoding: 'utf8', maxBuffer: 1 << 20 }),
  ) as Record<string, number>;
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt >= 0) {
    process.stdout.write(JSON.stringify(await child(process.argv[childAt + 1]!, process.argv[childAt + 2]!)));
    return;
  }
  // `--write FOLDER N`: only write a synthetic ledger (to profile one measure by hand with `--child MODE FOLDER`).
  const writeAt = process.argv.indexOf('--write');
  if (writeAt >= 0) {
    writeLedger(process.argv[writeAt + 1]!, Number(process.argv[writeAt + 2]));
    return;
  }
  const sizesAt = process.argv.indexOf('--sizes');
  const sizes =
    sizesAt >= 0
      ? process.argv[sizesAt + 1]!.split(',').map(Number)
      : [10_000, 100_000, ...(process.argv.includes('--full') ? [1_000_000] : [])];
  const root = mkdtempSync(path.join(tmpdir(), 'promptmeter-bench-ledger-'));
  const results = [];
  try {
    for (const entries of sizes) {
      const folder = path.join(root, `ledger-${entries}`);
      const bytes = writeLedger(folder, entries);
      const plain = measure('plain', folder);
      const floor = measure('floor', folder);
      const first = measure('first', folder);
      const later = measure('later', folder);
      const all = measure('all', folder);
      const refresh = measure('refresh', folder);
      const before = entries <= 100_000 ? measure('entries', folder) : null;
      const peakMb = Math.max(first.peakMb!, later.peakMb!, all.peakMb!, refresh.peakMb!);
      results.push({
        entries,
        megabytes: Math.round(bytes / 1e5) / 10,
        sources: SOURCES,
        rollupRows: refresh.rows,
        plain,
        floor,
        first,
        later,
        all,
        refresh,
        entriesInMemory: before,
        firstVsPlain: ratio(first.cpuMs!, plain.cpuMs!),
        firstVsFloor: ratio(first.cpuMs!, floor.cpuMs!),
        // Peak RSS of the report's child processes against the plain parse's child, measured in the same run.
        peakMb,
        peakVsPlain: ratio(peakMb, plain.peakMb!),
        // The issue sets the first-report target at 1M calls; below that, process start-up (the same fixed ~100 ms in
        // every child) dominates both sides, and the ratio says little: null.
        targets: {
          firstAtMost2xPlain: entries >= 1_000_000 ? first.cpuMs! <= 2 * plain.cpuMs! : null,
          laterAtMost1s: Math.max(later.cpuMs!, all.cpuMs!) <= 1000,
          peakAtMost300Mb: peakMb <= 300,
          refreshReadsOnlyNewBytes: refresh.bytesRead === refresh.appendedBytes,
        },
      });
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: 'ledger', node: process.version, days: DAYS, results }, null, 2));
  const line = results.map(
    (result) =>
      `${result.entries / 1000}k (${result.megabytes} MB, ${result.rollupRows} rows): first ${result.first.cpuMs} ms = ${result.firstVsPlain}× plain ${result.plain.cpuMs} ms (${result.firstVsFloor}× floor ${result.floor.cpuMs} ms), later ${result.later.cpuMs}/${result.all.cpuMs} ms (month/all), refresh ${result.refresh.refreshMs} ms reading ${result.refresh.bytesRead} of ${result.refresh.appendedBytes} new bytes, peak ${result.peakMb} MB = ${result.peakVsPlain}× plain's ${result.plain.peakMb} MB${result.entriesInMemory ? ` (before rollups: ${result.entriesInMemory.cpuMs} ms, ${result.entriesInMemory.peakMb} MB)` : ''}`,
  );
  const verdict = results
    .map((result) =>
      Object.entries(result.targets)
        .filter(([, met]) => met === false)
        .map(([name]) => `${result.entries / 1000}k ${name} missed`),
    )
    .flat();
  console.log(
    `bench/ledger (CPU ms): ${line.join('; ')} | ${verdict.length === 0 ? 'targets met' : verdict.join(', ')}`,
  );
}

void main();
