import type { EstimateOptions } from '../estimate/estimatePrompt';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { ParsedPromptFile } from '../prompts/promptTypes';
import { datasetLabel, hasDataset, promptDataset } from './dataset';
import { expandJobs } from './expandJobs';

/** What running a prompt once per row of its dataset (front matter `data:`) would take: estimated. */
export interface DatasetEstimate {
  /** As written in the front matter (relative to the prompt file), or `testData` for rows written in the file. */
  readonly dataFile: string;
  readonly rows: number;
  readonly inputTokens: number;
  /** Standard price of every row, each with its own values; null when the model's price is unknown. */
  readonly total: number | null;
  readonly batchTotal: number | null;
  /** The dataset could not be read, or rows were skipped: one sentence each. */
  readonly problems: readonly string[];
}

/** Rows estimated between two yields to the event loop (a slice takes a few milliseconds). */
const ROWS_PER_SLICE = 200;

/**
 * Estimates the dataset runs of a parsed file's prompts (those naming `data:` or with `testData` rows), by prompt id, row by row as a run
 * sends them (`expandJobs`). `absolutePath` is the prompt file's location, against which `data:` is resolved.
 * Large datasets are estimated in slices that yield to the event loop; when `cancelled()` turns true between
 * slices the work stops and the result is undefined.
 */
export async function estimateDatasetRuns(
  file: ParsedPromptFile,
  absolutePath: string,
  options: EstimateOptions,
  overrides: PriceOverrides,
  cancelled: () => boolean = () => false,
): Promise<Map<string, DatasetEstimate> | undefined> {
  const estimates = new Map<string, DatasetEstimate>();
  for (const prompt of file.prompts) {
    if (!hasDataset(prompt) || prompt.chunk !== undefined) continue;
    const dataFile = datasetLabel(prompt);
    const dataset = promptDataset(prompt, absolutePath);
    const sum = { rows: 0, inputTokens: 0, total: 0 as number | null, batchTotal: 0 as number | null };
    const problems: string[] = [];
    for (let start = 0; start === 0 || start < (dataset?.rows.length ?? 0); start += ROWS_PER_SLICE) {
      if (start > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (cancelled()) return undefined;
      }
      const slice = dataset && {
        ...dataset,
        rows: dataset.rows.slice(start, start + ROWS_PER_SLICE),
        problems: start === 0 ? dataset.problems : [],
      };
      const expanded = expandJobs([{ ...file, prompts: [prompt], diagnostics: [] }], {
        estimate: options,
        overrides,
        datasetFor: () => slice,
      });
      problems.push(...expanded.problems);
      for (const { estimate } of expanded.jobs) {
        sum.rows += 1;
        sum.inputTokens += estimate.inputTokens;
        sum.total = sum.total === null || estimate.costUsd === null ? null : sum.total + estimate.costUsd;
        sum.batchTotal =
          sum.batchTotal === null || estimate.batchCostUsd === null ? null : sum.batchTotal + estimate.batchCostUsd;
      }
    }
    estimates.set(prompt.id, { dataFile, ...sum, problems });
  }
  return estimates;
}
