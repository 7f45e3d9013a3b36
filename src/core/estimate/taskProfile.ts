import type { CapabilityTier } from '../models/modelCatalog';
import type { TaskKind } from '../prompts/promptTypes';

/**
 * What each task needs: the lowest capability tier that does it well, and a `max_tokens` that fits a
 * typical answer (offered by the "add max_tokens" quick fix). Translation and rewriting scale with input.
 */
export const TASK_PROFILES: Readonly<
  Record<TaskKind, { minimumTier: CapabilityTier; suggestedMaxTokens: number; scalesWithInput?: boolean }>
> = {
  classify: { minimumTier: 1, suggestedMaxTokens: 16 },
  extract: { minimumTier: 1, suggestedMaxTokens: 512 },
  rewrite: { minimumTier: 1, suggestedMaxTokens: 512, scalesWithInput: true },
  translate: { minimumTier: 2, suggestedMaxTokens: 1024, scalesWithInput: true },
  summarize: { minimumTier: 2, suggestedMaxTokens: 512 },
  qa: { minimumTier: 2, suggestedMaxTokens: 256 },
  chat: { minimumTier: 2, suggestedMaxTokens: 512 },
  code: { minimumTier: 3, suggestedMaxTokens: 1024 },
  reasoning: { minimumTier: 4, suggestedMaxTokens: 4096 },
  embedding: { minimumTier: 1, suggestedMaxTokens: 0 },
};

/** A `max_tokens` suggestion: the task's typical answer, or ~1.3× the user text for translate/rewrite. */
export function suggestedMaxTokens(task: TaskKind, userTokens: number): number {
  const profile = TASK_PROFILES[task];
  if (!profile.scalesWithInput) return profile.suggestedMaxTokens;
  return Math.max(profile.suggestedMaxTokens, roundUp(Math.ceil(userTokens * 1.3), 64));
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}
