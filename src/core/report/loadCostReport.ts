import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readLedger, type LedgerContents } from '../ledger/readLedger';
import { buildCostReport, type CostReportOptions } from './costReport';
import type { CostReport } from './costReportTypes';
import { parseRunRecord, type RunRecord } from './runRecord';

/** Where Prompt Meter keeps its files inside a workspace folder. */
export const PROMPT_METER_FOLDER = '.promptmeter';

/** `<workspace>/.promptmeter/ledger.jsonl`: the cost ledger shared by the extension and the CLI. */
export function ledgerPathOf(workspaceFolder: string): string {
  return path.join(workspaceFolder, PROMPT_METER_FOLDER, 'ledger.jsonl');
}

/** `<workspace>/.promptmeter/runs`: one folder per batch run. */
export function runsFolderOf(workspaceFolder: string): string {
  return path.join(workspaceFolder, PROMPT_METER_FOLDER, 'runs');
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
  readonly ledgerPath: string;
  readonly runsFolder: string;
  /** Reads the ledger at `ledgerPath` (a `LedgerTail` for a view that refreshes often); default: read it whole. */
  readonly readLedger?: () => Promise<LedgerContents>;
}

/** Reads the ledger and the runs and builds the report: the one path the view and the CLI share. */
export async function loadCostReport(options: LoadCostReportOptions): Promise<CostReport> {
  const ledger = options.readLedger ? options.readLedger() : readLedger(options.ledgerPath);
  const [{ entries, skippedLines }, runs] = await Promise.all([ledger, readRuns(options.runsFolder)]);
  return buildCostReport(entries, { ...options, runs, skippedLines });
}
