import type { CompletionUsage } from 'openai/resources/completions';
import type { LedgerUsage } from '../ledger/ledgerEntry';

/** Zero usage, for calls that never got an answer. */
export function emptyUsage(): LedgerUsage {
  return { promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0 };
}

/**
 * The ledger's usage from the API's `usage` object (chat or embeddings). Missing details count as 0; reasoning
 * tokens stay part of completion tokens, as the API bills them.
 */
export function usageFromApi(usage: Partial<CompletionUsage> | null | undefined): LedgerUsage {
  if (!usage) return emptyUsage();
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
