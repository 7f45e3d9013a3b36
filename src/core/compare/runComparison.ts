import { formatUsd } from '../estimate/formatting';
import type { LedgerWriter } from '../ledger/ledger';
import type { LedgerEntry } from '../ledger/ledgerEntry';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import { editsText } from './changeText';
import type { ComparisonClient } from './collectAnswers';
import { compareModels, DEFAULT_MINIMUM_PASS } from './compareModels';
import type { SavedComparison } from './compareTypes';
import { ComparisonStore, promptTextHash } from './comparisonStore';
import { monthlyCalls } from './monthlyVolume';
import type { ComparisonSetup } from './prepareComparison';

/**
 * What a comparison shows before it spends anything, as lines: the rows, each model with its edits, the
 * estimated cost (labelled as an estimate; "unknown" when a price is). The CLI prints them; VS Code's modal
 * question shows them.
 */
export function comparisonPlanLines(setup: ComparisonSetup, file: string): string[] {
  const calls = setup.candidates.length * setup.rowCount;
  const cost = setup.estimatedUsd === null ? 'unknown (a price is unknown)' : `~${formatUsd(setup.estimatedUsd)}`;
  return [
    `Compare ${file} on ${setup.rowCount} of ${setup.rows.length} rows: ${calls} calls (rows from ${setup.rowsFrom})`,
    ...setup.candidates.map((candidate, index) => {
      const edits = editsText(candidate.changes);
      return `  ${index === 0 ? 'current  ' : 'candidate'} ${candidate.model}${edits ? ` (${edits})` : ''}`;
    }),
    `  scored by ${setup.evaluators ? `the prompt's ${setup.evaluators.length} evaluator(s)` : `agreement with ${setup.estimate.model}`}`,
    `  estimated cost ${cost}${setup.judged ? ' plus the judge calls' : ''}, less what the cache answers`,
  ];
}

export interface ComparisonRunRequest {
  readonly setup: ComparisonSetup;
  /** Workspace-relative prompt file (ledger source `compare:<file>`, the saved comparison's `file`). */
  readonly file: string;
  /** The prompt file's text the comparison was prepared from (its hash keys the saved result). */
  readonly text: string;
  readonly threshold?: number;
  readonly seed?: number;
  readonly client: ComparisonClient;
  readonly pricing: Pricing;
  readonly overrides: PriceOverrides;
  readonly similarityModel: string;
  /** Recent ledger entries: the prompt's own calls over 30 days give the projected monthly saving. */
  readonly ledgerEntries: readonly LedgerEntry[];
  readonly store: ComparisonStore;
  /** The ledger every call is written to (multi-root: the prompt's workspace folder's); default the client's own. */
  readonly ledger?: LedgerWriter;
  readonly now: () => Date;
  /** Random hex for the comparison id (the host's CSPRNG). */
  readonly random: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly concurrency?: number;
}

/**
 * Runs a prepared comparison and saves it: the one sequence both front ends use (id, monthly volume from the
 * ledger, `compareModels`, `ComparisonStore.save`). Cancellation rejects; what was answered stays cached.
 */
export async function runComparison(
  request: ComparisonRunRequest,
): Promise<{ saved: SavedComparison; savedPath: string }> {
  const { setup } = request;
  const started = request.now();
  const saved = await compareModels({
    prompt: setup.estimate.prompt,
    file: request.file,
    task: setup.estimate.task,
    rows: setup.rows,
    rowCount: setup.rowCount,
    seed: request.seed ?? 1,
    candidates: setup.candidates,
    client: request.client,
    pricing: request.pricing,
    overrides: request.overrides,
    evaluators: setup.evaluators,
    threshold: request.threshold ?? DEFAULT_MINIMUM_PASS,
    similarityModel: request.similarityModel,
    comparisonId: ComparisonStore.newId(started, request.random),
    promptHash: promptTextHash(request.text),
    now: request.now,
    monthlyCalls: monthlyCalls(request.ledgerEntries, request.file, started),
    signal: request.signal,
    ...(request.ledger ? { ledger: request.ledger } : {}),
    onProgress: request.onProgress,
    concurrency: request.concurrency,
  });
  return { saved, savedPath: request.store.save(saved) };
}
