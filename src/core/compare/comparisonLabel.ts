import type { SavedComparison } from './compareTypes';

/**
 * What the status bar, CodeLens and Recommend Model say about a model's evidence: "tested: 19/20 pass" when a
 * comparison of the current prompt text (`ComparisonStore.latestFor(file, promptTextHash(text))`) measured the
 * model, otherwise "untested".
 */
export function comparisonLabel(saved: SavedComparison | undefined, model: string): string {
  const line = saved?.models.find((candidate) => candidate.model === model);
  return line && line.total > 0 ? `tested: ${line.passed}/${line.total} pass` : 'untested';
}
