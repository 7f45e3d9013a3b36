import path from 'node:path';
import type { PromptEstimate } from '../estimate/promptEstimate';
import type { Estimator } from '../estimate/estimator';
import type { PromptFormat } from '../prompts/promptTypes';
import { datasetLabel, promptDataset, readDatasetFile, type DatasetRow } from '../runs/dataset';
import { ENCODING_NAMES } from '../tokens/encodingForModel';
import { comparisonCandidates, estimatedTrialUsd } from './compareCandidates';
import { DEFAULT_COMPARISON_ROWS } from './compareModels';
import { comparisonEvaluators } from './comparisonEvaluators';
import type { ComparisonCandidate } from './compareTypes';
import type { Evaluator } from './evaluators';

/** A prompt that cannot be compared, with what to do about it (the CLI prints it with the usage; VS Code shows it). */
export class ComparisonSetupError extends Error {}

export interface ComparisonSetupRequest {
  readonly estimator: Estimator;
  /** Workspace-relative path (what the ledger and results name). */
  readonly file: string;
  readonly absolutePath: string;
  readonly text: string;
  readonly format: PromptFormat;
  /** Candidates to use instead of the recommendation and the cheaper valid models. */
  readonly models?: readonly string[];
  readonly rowCount?: number;
  /** A dataset instead of the prompt's own rows (`data:` or `testData`), absolute. */
  readonly dataFile?: string;
}

/** Everything shown before a comparison spends anything: who takes part, on how many rows, at what estimated cost. */
export interface ComparisonSetup {
  readonly estimate: PromptEstimate;
  readonly rows: readonly DatasetRow[];
  /** Rows that will be sampled (at most the dataset's). */
  readonly rowCount: number;
  readonly candidates: readonly ComparisonCandidate[];
  /** Dataset lines skipped and models that cannot run the prompt, one sentence each. */
  readonly problems: readonly string[];
  /** Where the rows come from: the dataset file as written (`data:` or the one given), or `testData`. */
  readonly rowsFrom: string;
  /** Answer calls only; null when a price is unknown. */
  readonly estimatedUsd: number | null;
  /** An LLM-as-judge evaluator will add calls (and cost) on top of the estimate. */
  readonly judged: boolean;
  /** The prompt's own evaluators (GitHub Models `evaluators`); absent: agreement with the current model. */
  readonly evaluators?: readonly Evaluator[];
}

/**
 * Prepares a comparison of the prompt in `text`: its first chat prompt estimated, its rows (`dataFile` when given,
 * else the prompt's own dataset: `data:` relative to the file or its `testData`), its evaluators, the candidates
 * with their edits and the trial's estimated cost.
 * @throws ComparisonSetupError when there is no chat prompt, no rows, or no candidate
 */
export async function prepareComparison(request: ComparisonSetupRequest): Promise<ComparisonSetup> {
  const { estimator } = request;
  await estimator.load(ENCODING_NAMES);
  const parsed = estimator.parse(request.file, request.text, request.format);
  const estimate = (await estimator.estimate(parsed, request.text)).estimates.find(
    (candidate) => candidate.prompt.kind === 'chat',
  );
  if (!estimate)
    throw new ComparisonSetupError(
      `${request.file} has no chat prompt to compare (embeddings and files with errors cannot be compared).`,
    );
  const problems: string[] = [];
  const dataFile = request.dataFile;
  const dataset = dataFile ? readDatasetFile(dataFile) : promptDataset(estimate.prompt, request.absolutePath);
  const rowsFrom = dataFile ? path.basename(dataFile) : datasetLabel(estimate.prompt);
  if (!dataset) {
    if (dataFile || estimate.prompt.dataFile)
      throw new ComparisonSetupError(`the dataset ${rowsFrom} of ${request.file} could not be read.`);
    throw new ComparisonSetupError(
      `${request.file} has no dataset: add data: <file.csv> to its front matter (or testData rows, or pass a dataset), so the models answer your own rows.`,
    );
  }
  problems.push(...dataset.problems.map((problem) => `dataset: ${problem}`));
  const rows: readonly DatasetRow[] = dataset.rows;
  if (rows.length === 0) throw new ComparisonSetupError(`${request.file} has no rows to compare on.`);
  const selection = comparisonCandidates(estimate, estimator.options(), request.models);
  problems.push(...selection.problems);
  if (selection.candidates.length < 2) {
    throw new ComparisonSetupError(
      `no candidate model to compare ${estimate.model} with${request.models ? '' : ' (none is cheaper and valid for this prompt)'}; name some (CLI: --models a,b,c).`,
    );
  }
  const rowCount = Math.min(request.rowCount ?? DEFAULT_COMPARISON_ROWS, rows.length);
  const evaluators = comparisonEvaluators(estimate.prompt);
  return {
    estimate,
    rows,
    rowCount,
    rowsFrom,
    candidates: selection.candidates,
    problems,
    estimatedUsd: estimatedTrialUsd(selection.candidates, rowCount),
    judged: evaluators.some((evaluator) => evaluator.llm !== undefined),
    ...(evaluators.length > 0 ? { evaluators } : {}),
  };
}
