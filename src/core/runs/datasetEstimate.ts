import path from 'node:path';
import type { EstimateOptions } from '../estimate/estimatePrompt';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { ParsedPromptFile } from '../prompts/promptTypes';
import { readDatasetFile } from './dataset';
import { expandJobs } from './expandJobs';

/** What running a prompt once per row of its dataset (front matter `data:`) would take: estimated. */
export interface DatasetEstimate {
  /** As written in the front matter (relative to the prompt file). */
  readonly dataFile: string;
  readonly rows: number;
  readonly inputTokens: number;
  /** Standard price of every row, each with its own values; null when the model's price is unknown. */
  readonly total: number | null;
  readonly batchTotal: number | null;
  /** The dataset could not be read, or rows were skipped: one sentence each. */
  readonly problems: readonly string[];
}

/**
 * Estimates the dataset runs of a parsed file's prompts, by prompt id (those naming `data:`), row by row as a run sends them
 * (`expandJobs`). `absolutePath` is the prompt file's location, against which `data:` is resolved.
 */
export function estimateDatasetRuns(
  file: ParsedPromptFile,
  absolutePath: string,
  options: EstimateOptions,
  overrides: PriceOverrides,
): Map<string, DatasetEstimate> {
  const estimates = new Map<string, DatasetEstimate>();
  for (const prompt of file.prompts) {
    if (prompt.dataFile === undefined || prompt.chunk !== undefined) continue;
    const dataFile = prompt.dataFile;
    const dataset = readDatasetFile(path.resolve(path.dirname(absolutePath), dataFile));
    const { jobs, problems } = expandJobs([{ ...file, prompts: [prompt], diagnostics: [] }], {
      estimate: options,
      overrides,
      datasetFor: () => dataset,
    });
    let inputTokens = 0;
    let total: number | null = 0;
    let batchTotal: number | null = 0;
    for (const job of jobs) {
      inputTokens += job.estimate.inputTokens;
      total = total === null || job.estimate.costUsd === null ? null : total + job.estimate.costUsd;
      batchTotal = batchTotal === null || job.estimate.batchCostUsd === null ? null : batchTotal + job.estimate.batchCostUsd;
    }
    estimates.set(prompt.id, { dataFile, rows: jobs.length, inputTokens, total, batchTotal, problems });
  }
  return estimates;
}
