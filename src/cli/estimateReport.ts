import type { FileEstimate } from '../core/estimate/estimateFile';
import { totalsOf } from '../core/estimate/estimateFile';
import type { PromptEstimate } from '../core/estimate/promptEstimate';
import { BUNDLED_PRICE_DATA, BUNDLED_PRICE_SOURCE } from '../core/pricing/bundledPrices';
import type { DatasetEstimate } from '../core/runs/datasetEstimate';
import type { PromptChange } from '../core/prompts/promptTypes';

/** One prompt in `promptmeter estimate --json`. Money is estimated USD; null where the price is unknown. */
export interface EstimateJsonPrompt {
  file: string;
  id: string;
  model: string;
  encoding: string;
  approximateTokens: boolean;
  task: string;
  inputTokens: number;
  maxOutputTokens: number | null;
  outputBound: string;
  cost: {
    input: number;
    cachedInput: number;
    outputMax: number;
    total: number;
    batchTotal: number;
    currency: 'USD';
  } | null;
  priceKnown: boolean;
  /** A VS Code Copilot prompt file: tokens of chat context, no API price (cost is null, not unknown). */
  copilotPromptFile?: true;
  priceSource: string | null;
  /** The cheaper model with every edit that makes the prompt valid on it (`changes`) and a one-line `summary`. */
  recommendation: {
    model: string;
    total: number;
    saving: number;
    changes: readonly PromptChange[];
    summary: string;
  } | null;
  /** Reasoning models: hidden reasoning tokens expected per call ("expected", inside the output bound, not added to it). */
  reasoning?: {
    effort: string;
    expectedTokens: number;
    source: 'ledger' | 'assumed';
    calls: number;
    expectedCost: number | null;
  };
  /** Prompts with a `chunk:` section: the map-reduce run next to one call with the whole document. */
  /** Image inputs, included in `inputTokens`: tokens each on this model by OpenAI's image rules (estimates), with what was assumed. */
  images?: Array<{ source: string; tokens: number; assumed: readonly string[] }>;
  /** Prompts naming `data:`: a run sends one call per row, each estimated with its own values. */
  dataset?: { file: string; rows: number; inputTokens: number; total: number | null; batchTotal: number | null };
  mapReduce?: {
    calls: number;
    chunks: number;
    documentTokens: number;
    total: number | null;
    batchTotal: number | null;
    singleCall: { model: string; total: number } | null;
    saving: number | null;
    summary: string;
  };
}

export interface EstimateJson {
  prompts: EstimateJsonPrompt[];
  totals: {
    prompts: number;
    inputTokens: number;
    total: number;
    batchTotal: number;
    unpricedPrompts: number;
    /** Running everything: dataset prompts once per row (the calls a run sends before dedupe and cache hits). */
    /** `total` and `batchTotal` leave out the calls with an unknown price (`unpricedCalls`). */
    run: { calls: number; inputTokens: number; total: number; batchTotal: number; unpricedCalls: number };
  };
  pricesAsOf: string;
  priceSource: string;
  diagnostics: Array<{ file: string; line: number; severity: string; code: string; message: string }>;
}

/** The `--json` object: exactly one, built from the estimates of every file (ids are paths, or custom_id for batch lines). */
export function estimateJson(
  files: ReadonlyArray<{
    displayPath: string;
    estimate: FileEstimate;
    datasets?: ReadonlyMap<string, DatasetEstimate>;
  }>,
): EstimateJson {
  const prompts: EstimateJsonPrompt[] = [];
  const diagnostics: EstimateJson['diagnostics'] = [];
  const all: PromptEstimate[] = [];
  const run = { calls: 0, inputTokens: 0, total: 0, batchTotal: 0, unpricedCalls: 0 };
  for (const { displayPath, estimate, datasets } of files) {
    for (const prompt of estimate.estimates) {
      all.push(prompt);
      const dataset = datasets?.get(prompt.prompt.id);
      const json = promptJson(displayPath, prompt);
      if (dataset)
        json.dataset = {
          file: dataset.dataFile,
          rows: dataset.rows,
          inputTokens: dataset.inputTokens,
          total: dataset.total,
          batchTotal: dataset.batchTotal,
        };
      prompts.push(json);
      const calls = dataset ? dataset.rows : (prompt.mapReduce?.plan.totalCalls ?? 1);
      const total = dataset ? dataset.total : prompt.cost?.total;
      run.calls += calls;
      run.inputTokens += dataset ? dataset.inputTokens : prompt.inputTokens;
      if (total === null || total === undefined) run.unpricedCalls += calls;
      else {
        run.total += total;
        run.batchTotal += (dataset ? dataset.batchTotal : prompt.cost?.batchTotal) ?? 0;
      }
    }
    for (const dataset of datasets?.values() ?? []) {
      for (const problem of dataset.problems)
        diagnostics.push({ file: displayPath, line: 1, severity: 'warning', code: 'dataset', message: problem });
    }
    for (const diagnostic of estimate.diagnostics) {
      diagnostics.push({
        file: displayPath,
        line: diagnostic.span.start.line + 1,
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message,
      });
    }
  }
  const totals = totalsOf(all);
  return {
    prompts,
    totals: {
      prompts: totals.prompts,
      inputTokens: totals.inputTokens,
      total: totals.total,
      batchTotal: totals.batchTotal,
      unpricedPrompts: totals.unpricedPrompts,
      run,
    },
    pricesAsOf: BUNDLED_PRICE_DATA.asOf,
    priceSource: BUNDLED_PRICE_SOURCE.label,
    diagnostics,
  };
}

function promptJson(displayPath: string, estimate: PromptEstimate): EstimateJsonPrompt {
  const { cost } = estimate;
  return {
    file: displayPath,
    id: estimate.prompt.format === 'batch-jsonl' ? estimate.prompt.id : displayPath,
    model: estimate.model,
    encoding: estimate.encoding,
    approximateTokens: estimate.approximate,
    task: estimate.task,
    inputTokens: estimate.inputTokens,
    maxOutputTokens: estimate.outputBound === 'unknown' ? null : estimate.outputTokens,
    outputBound: estimate.outputBound,
    cost: cost
      ? {
          input: cost.input,
          cachedInput: cost.cachedInput,
          outputMax: cost.outputMax,
          total: cost.total,
          batchTotal: cost.batchTotal,
          currency: 'USD',
        }
      : null,
    priceKnown: cost !== undefined,
    ...(estimate.breakdown.images
      ? {
          images: estimate.breakdown.images.map((image) => ({
            source: image.source,
            tokens: image.tokens,
            assumed: image.assumptions,
          })),
        }
      : {}),
    ...(estimate.prompt.copilot ? { copilotPromptFile: true } : {}),
    priceSource: estimate.price?.source.label ?? null,
    recommendation: estimate.recommendation
      ? {
          model: estimate.recommendation.model,
          total: estimate.recommendation.cost.total,
          saving: estimate.recommendation.saving,
          changes: estimate.recommendation.changes,
          summary: estimate.recommendation.summary,
        }
      : null,
    ...(estimate.reasoning
      ? {
          reasoning: {
            effort: estimate.reasoning.effort,
            expectedTokens: estimate.reasoning.expectedTokens,
            source: estimate.reasoning.source,
            calls: estimate.reasoning.calls,
            expectedCost: estimate.reasoningCost ?? null,
          },
        }
      : {}),
    ...(estimate.mapReduce
      ? {
          mapReduce: {
            calls: estimate.mapReduce.plan.totalCalls,
            chunks: estimate.mapReduce.plan.map.calls,
            documentTokens: estimate.mapReduce.documentTokens,
            total: estimate.mapReduce.plan.cost?.total ?? null,
            batchTotal: estimate.mapReduce.plan.cost?.batchTotal ?? null,
            singleCall: estimate.mapReduce.comparison.singleCall
              ? {
                  model: estimate.mapReduce.comparison.singleCall.model,
                  total: estimate.mapReduce.comparison.singleCall.cost.total,
                }
              : null,
            saving: estimate.mapReduce.comparison.saving ?? null,
            summary: estimate.mapReduce.comparison.summary,
          },
        }
      : {}),
  };
}
