import type { LedgerWriter } from '../ledger/ledger';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { Pricing } from '../pricing/pricing';
import type { PromptDefinition, TaskKind } from '../prompts/promptTypes';
import type { DatasetRow } from '../runs/dataset';
import { collectAnswers, comparisonSource, type ComparisonClient, type SampledRow } from './collectAnswers';
import type { ComparisonCandidate, SavedComparison } from './compareTypes';
import { DEFAULT_SIMILARITY_THRESHOLD, type Evaluator } from './evaluators';
import { sampleRowIndices } from './sampleRows';
import { scoreAnswers, type ScoringServices } from './scoreAnswers';
import { summarizeComparison } from './summarizeComparison';

/** Rows a comparison takes when not told otherwise. */
export const DEFAULT_COMPARISON_ROWS = 20;
/** Pass rate (or agreement) a model needs to be recommended, when not told otherwise. */
export const DEFAULT_MINIMUM_PASS = 0.9;

export interface CompareRequest {
  readonly prompt: PromptDefinition;
  /** Workspace-relative prompt file (ledger source `compare:<file>`). */
  readonly file: string;
  readonly task: TaskKind;
  /** Every row of the dataset (`data:`) or the `.prompt.yml` testData; the sample is taken from them. */
  readonly rows: readonly DatasetRow[];
  /** How many rows to sample (default {@link DEFAULT_COMPARISON_ROWS}). */
  readonly rowCount?: number;
  readonly seed?: number;
  /** The current model first, then the candidates (from `comparisonCandidates`). */
  readonly candidates: readonly ComparisonCandidate[];
  readonly client: ComparisonClient;
  readonly pricing: Pricing;
  readonly overrides: PriceOverrides;
  /** The prompt's own evaluators (`.prompt.yml`); none: agreement with the current model. */
  readonly evaluators?: readonly Evaluator[];
  readonly threshold?: number;
  readonly similarityThreshold?: number;
  /** The embeddings model of free-text similarity. */
  readonly similarityModel: string;
  readonly comparisonId: string;
  readonly promptHash: string;
  readonly now: () => Date;
  /** The prompt's calls over the last 30 days (`monthlyCalls`), for the projected saving. */
  readonly monthlyCalls?: number;
  /** The ledger every call is written to (multi-root: the prompt's workspace folder's); default the client's own. */
  readonly ledger?: LedgerWriter;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Answer calls in flight at once (default 4). */
  readonly concurrency?: number;
}

/** The sampled rows: spread over the dataset, seeded (same seed, same rows). */
export function sampleRows(rows: readonly DatasetRow[], count = DEFAULT_COMPARISON_ROWS, seed = 1): SampledRow[] {
  return sampleRowIndices(rows.length, count, seed).map((index) => ({ number: index + 1, values: rows[index]! }));
}

/**
 * Runs a comparison: every candidate answers the sampled rows through the one client, the answers are scored (the
 * prompt's evaluators, or agreement with the current model) and summarised. Every call — answers, judge,
 * embeddings — is in the ledger under `runId` = the comparison's id and source `compare:<file>`.
 */
export async function compareModels(request: CompareRequest): Promise<SavedComparison> {
  if (request.candidates.length === 0) throw new Error('a comparison needs at least the current model');
  if (request.rows.length === 0)
    throw new Error(`${request.file} has no rows to compare on: give it a dataset (data:) or testData.`);
  const rows = sampleRows(request.rows, request.rowCount ?? DEFAULT_COMPARISON_ROWS, request.seed ?? 1);
  const source = comparisonSource(request.file);
  const callOptions = {
    source,
    runId: request.comparisonId,
    signal: request.signal,
    ...(request.ledger ? { ledger: request.ledger } : {}),
  };
  const answers = await collectAnswers({
    prompt: request.prompt,
    rows,
    candidates: request.candidates,
    client: request.client,
    pricing: request.pricing,
    overrides: request.overrides,
    source,
    comparisonId: request.comparisonId,
    signal: request.signal,
    ...(request.ledger ? { ledger: request.ledger } : {}),
    onProgress: request.onProgress,
    concurrency: request.concurrency,
  });
  const services: ScoringServices = {
    embed: async (texts) => {
      const result = await request.client.embed(
        { model: request.similarityModel, input: [...texts] },
        { ...callOptions, jobId: 'similarity' },
      );
      const vectors = [...result.response.data]
        .sort((left, right) => left.index - right.index)
        .map((item) => item.embedding);
      return { vectors, costUsd: result.costUsd };
    },
    judge: async (model, messages) => {
      const result = await request.client.chat({ model, messages, stream: false }, { ...callOptions, jobId: 'judge' });
      return { text: result.response.choices[0]?.message?.content ?? '', costUsd: result.costUsd };
    },
  };
  const referenceModel = request.candidates[0]!.model;
  const similarityThreshold = request.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD;
  const scoring = await scoreAnswers(
    answers,
    { task: request.task, rows, evaluators: request.evaluators, referenceModel, similarityThreshold },
    services,
  );
  const { result, disagreements } = summarizeComparison({
    candidates: request.candidates,
    answers,
    scoring,
    reference: scoring.usedEvaluators ? 'evaluators' : referenceModel,
    threshold: request.threshold ?? DEFAULT_MINIMUM_PASS,
    rows: rows.length,
    monthlyCalls: request.monthlyCalls,
  });
  return {
    ...result,
    id: request.comparisonId,
    file: request.file,
    promptHash: request.promptHash,
    time: request.now().toISOString(),
    scoring: [scoring.scoring, ...scoring.problems].join(' '),
    disagreements,
  };
}
