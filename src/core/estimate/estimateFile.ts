import { resolveModel } from '../models/resolveModel';
import { LineIndex } from '../prompts/lineIndex';
import type { ParsedPromptFile, PromptDiagnostic } from '../prompts/promptTypes';
import type { EncodingName } from '../tokens/encodingForModel';
import { estimatePrompt, type EstimateOptions } from './estimatePrompt';
import type { PromptEstimate } from './promptEstimate';
import { promptHints } from './promptHints';

/** Hints beyond this many per file are summarised (a 50,000-line batch file should not flood the Problems view). */
const MAXIMUM_HINTS_PER_FILE = 200;

export interface FileTotals {
  readonly prompts: number;
  readonly inputTokens: number;
  /** Sum over prompts with a known price. */
  readonly total: number;
  readonly batchTotal: number;
  /** Prompts whose price is unknown (not included in the totals). */
  readonly unpricedPrompts: number;
}

export interface FileEstimate {
  readonly parsed: ParsedPromptFile;
  readonly estimates: readonly PromptEstimate[];
  /** Parse problems and hints together. */
  readonly diagnostics: readonly PromptDiagnostic[];
  readonly totals: FileTotals;
}

/** The encodings a file needs loaded before `estimateFile` can run synchronously. */
export function encodingsNeeded(
  parsed: ParsedPromptFile,
  options: Pick<EstimateOptions, 'defaultModel' | 'modelOverride' | 'overrides'>,
): Set<EncodingName> {
  const needed = new Set<EncodingName>();
  for (const prompt of parsed.prompts) {
    needed.add(
      resolveModel(options.modelOverride ?? prompt.model ?? options.defaultModel, options.overrides).encoding.encoding,
    );
  }
  return needed;
}

/** Estimates every prompt of a parsed file and adds the hints. */
export function estimateFile(parsed: ParsedPromptFile, text: string, options: EstimateOptions): FileEstimate {
  const lines = new LineIndex(text);
  const estimates = parsed.prompts.map((prompt) => estimatePrompt(prompt, options));
  const hints: PromptDiagnostic[] = [];
  for (const estimate of estimates) {
    if (hints.length >= MAXIMUM_HINTS_PER_FILE) break;
    hints.push(...promptHints(estimate, options.counterFor(estimate.encoding), lines));
  }
  return {
    parsed,
    estimates,
    diagnostics: [...parsed.diagnostics, ...hints.slice(0, MAXIMUM_HINTS_PER_FILE)],
    totals: totalsOf(estimates),
  };
}

export function totalsOf(estimates: readonly PromptEstimate[]): FileTotals {
  let inputTokens = 0;
  let total = 0;
  let batchTotal = 0;
  let unpricedPrompts = 0;
  for (const estimate of estimates) {
    inputTokens += estimate.inputTokens;
    if (estimate.cost) {
      total += estimate.cost.total;
      batchTotal += estimate.cost.batchTotal;
    } else unpricedPrompts++;
  }
  return { prompts: estimates.length, inputTokens, total, batchTotal, unpricedPrompts };
}
