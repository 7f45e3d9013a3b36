import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { LedgerFolder } from '../ledger/ledgerFolder';
import { buildRollupReport, isLocalMidnight, type CostReportOptions } from './costReport';
import type { CostReport } from './costReportTypes';
import { LedgerReader, type LedgerLocation } from './ledgerReader';
import { parseRunRecord, type RunRecord } from './runRecord';
import { PROMPT_METER_FOLDER, WorkspaceLayout } from '../workspace/workspaceLayout';

/** Where Prompt Meter keeps its files inside a workspace folder (owned by {@link WorkspaceLayout}). */
export { PROMPT_METER_FOLDER };

/**
 * `<workspace>/.promptmeter/ledger`: the cost ledger shared by the extension and the CLI, a folder of month
 * segments (see `LedgerFolder`); it replaces `.promptmeter/ledger.jsonl`, which is moved into it once.
 */
export function ledgerPathOf(workspaceFolder: string): string {
  return new WorkspaceLayout(workspaceFolder).ledger;
}

/**
 * What `ledgerPath` names: a folder is a segmented ledger; a file is a single-file ledger (`--ledger FILE`); a
 * path that does not exist is a folder-to-be unless it ends in `.jsonl` and is no old ledger's folder.
 */
export async function ledgerLocationOf(ledgerPath: string): Promise<LedgerLocation> {
  try {
    return (await stat(ledgerPath)).isDirectory() ? { folder: ledgerPath } : { file: ledgerPath };
  } catch {
    if (!ledgerPath.endsWith('.jsonl')) return { folder: ledgerPath };
    try {
      await stat(LedgerFolder.legacyFileOf(ledgerPath));
      return { folder: ledgerPath };
    } catch {
      return { file: ledgerPath };
    }
  }
}

/** `<workspace>/.promptmeter/runs`: one folder per batch run. */
export function runsFolderOf(workspaceFolder: string): string {
  return new WorkspaceLayout(workspaceFolder).runs;
}

/**
 * Reads every `runs/<id>/run.json` tolerantly: a missing runs folder is no runs, and a run whose run.json is
 * missing, unreadable or not JSON is left out (its ledger entries still show it under its id).
 */
export async function readRuns(runsFolder: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(runsFolder);
  } catch {
    return [];
  }
  const records = await Promise.all(
    names.map(async (name) => {
      try {
        return parseRunRecord(JSON.parse(await readFile(path.join(runsFolder, name, 'run.json'), 'utf8')), name);
      } catch {
        return undefined;
      }
    }),
  );
  return records.filter((record): record is RunRecord => record !== undefined);
}

/** Where to read from; the rest of {@link CostReportOptions} except the runs. */
export interface LoadCostReportOptions extends Omit<CostReportOptions, 'runs' | 'skippedLines'> {
  /** A ledger folder or a single JSONL file (see {@link ledgerLocationOf}). */
  readonly ledgerPath: string;
  readonly runsFolder: string;
  /** A reader kept across reports of the same ledger and prices, so each reads only what was appended since. */
  readonly reader?: LedgerReader;
}

/**
 * Reads the ledger (its rollups plus the lines appended after them) and the runs, and builds the report: the
 * one path the view and the CLI share.
 */
export async function loadCostReport(options: LoadCostReportOptions): Promise<CostReport> {
  const reader =
    options.reader ??
    new LedgerReader(await ledgerLocationOf(options.ledgerPath), {
      pricing: options.pricing,
      pricingKey: options.pricing.key,
    });
  const [snapshot, runs] = await Promise.all([reader.read(), readRuns(options.runsFolder)]);
  const rangeRollup =
    options.since && !isLocalMidnight(options.since) ? await reader.rollupSince(options.since) : undefined;
  return buildRollupReport(
    { rollups: snapshot.rollups, rangeRollup },
    { ...options, runs, skippedLines: snapshot.skippedLines },
  );
}
