import { resolveModel } from '../models/resolveModel';
import type { PriceOverrides } from '../pricing/priceOverride';
import { promptChangeEdits } from '../prompts/promptChangeEdits';
import type { TextEditPlan } from '../prompts/promptEdits';
import type { FileEstimate } from './estimateFile';

/**
 * The edits that apply every recommendation in a file, in its own format: one per Batch line that has one, the
 * file's prompt otherwise. The edits do not overlap (one line, or the front matter, each).
 */
export function recommendationEdits(file: FileEstimate, text: string, overrides: PriceOverrides = {}): TextEditPlan[] {
  const estimates = file.parsed.format === 'batch-jsonl' ? file.estimates : file.estimates.slice(0, 1);
  return estimates.flatMap((estimate) => {
    const recommendation = estimate.recommendation;
    if (!recommendation) return [];
    const reasoningModel = resolveModel(recommendation.model, overrides).reasoning;
    return promptChangeEdits(file.parsed, text, estimate.prompt, recommendation.changes, { reasoningModel });
  });
}
