import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ledgerPathOf } from '../../src/core/report/loadCostReport';

/** The text of every segment of a workspace's ledger folder (`.promptmeter/ledger/*.jsonl`), in name order. */
export function workspaceLedgerText(workspace: string): string {
  const folder = ledgerPathOf(workspace);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => readFileSync(path.join(folder, name), 'utf8'))
    .join('');
}
