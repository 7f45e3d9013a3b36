import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { LedgerUsage } from '../ledger/ledgerEntry';
import { answerOutcome } from './answerOutcome';

/** A chat answer as stored in the cache tiers (JSON). */
export interface CachedChat {
  version: 1;
  endpoint: 'chat.completions';
  completion: ChatCompletion;
  usage: LedgerUsage;
  /** ISO 8601. */
  storedAt: string;
}

/** One embeddings input's vector as stored in the cache tiers (JSON), with its share of the batch's tokens. */
export interface CachedEmbedding {
  version: 1;
  endpoint: 'embeddings';
  model: string;
  /** Floats, or a base64 string when the caller asked for `encoding_format: 'base64'`. */
  embedding: number[] | string;
  promptTokens: number;
  storedAt: string;
}

function isUsage(value: unknown): value is LedgerUsage {
  const usage = value as Partial<LedgerUsage> | null;
  return (
    usage !== null &&
    typeof usage === 'object' &&
    typeof usage.promptTokens === 'number' &&
    typeof usage.cachedTokens === 'number' &&
    typeof usage.completionTokens === 'number' &&
    typeof usage.reasoningTokens === 'number'
  );
}

/**
 * Parses a stored chat answer; `undefined` for anything else (old format, truncated write, or a cut-off or empty
 * answer stored by an older version), which is then dropped from that tier.
 */
export function parseCachedChat(text: string): CachedChat | undefined {
  const value = JSON.parse(text) as Partial<CachedChat> | null;
  if (value?.version !== 1 || value.endpoint !== 'chat.completions') return undefined;
  if (!value.completion || !Array.isArray(value.completion.choices) || !isUsage(value.usage)) return undefined;
  if (answerOutcome(value.completion).kind === 'truncated') return undefined;
  return value as CachedChat;
}

/** Parses a stored embedding; `undefined` for anything else. */
export function parseCachedEmbedding(text: string): CachedEmbedding | undefined {
  const value = JSON.parse(text) as Partial<CachedEmbedding> | null;
  if (value?.version !== 1 || value.endpoint !== 'embeddings' || typeof value.promptTokens !== 'number')
    return undefined;
  if (!Array.isArray(value.embedding) && typeof value.embedding !== 'string') return undefined;
  return value as CachedEmbedding;
}
