import type { EncodingName } from '../tokens/encodingForModel';

/**
 * Capability tiers used to pick "the cheapest adequate model": 1 basic (nano-class), 2 standard (mini-class),
 * 3 advanced (flagship non-reasoning), 4 reasoning, 5 frontier.
 */
export type CapabilityTier = 1 | 2 | 3 | 4 | 5;

export const TIER_NAMES: Readonly<Record<CapabilityTier, string>> = {
  1: 'basic',
  2: 'standard',
  3: 'advanced',
  4: 'reasoning',
  5: 'frontier',
};

/** The OpenAI endpoints that serve a model: `/v1/chat/completions`, `/v1/responses`, the Batch API, `/v1/embeddings`. */
export type ModelEndpoint = 'chat' | 'responses' | 'batch' | 'embeddings';

export interface CatalogModel {
  readonly id: string;
  readonly kind: 'chat' | 'embedding';
  /** Total tokens (input + output) the model accepts. */
  readonly contextWindow: number;
  /** Largest `max_tokens` the model accepts (0 for embeddings). */
  readonly maxOutputTokens: number;
  readonly tier: CapabilityTier;
  readonly encoding: EncodingName;
  /** Produces hidden reasoning tokens billed as output. */
  readonly reasoning: boolean;
  /** Endpoints that serve it (from the model page's "Endpoints" list). */
  readonly endpoints: readonly ModelEndpoint[];
  /** Still callable but superseded: never recommended. */
  readonly legacy?: boolean;
}

/** Date the catalog's limits were checked against OpenAI's model pages. */
export const CATALOG_AS_OF = '2026-11-26';

const K = 1000;
export const CHAT_ENDPOINTS: readonly ModelEndpoint[] = ['chat', 'responses', 'batch'];
export const EMBEDDING_ENDPOINTS: readonly ModelEndpoint[] = ['embeddings', 'batch'];
/** Served only through `/v1/responses` (and its Batch API url), as the model page says. */
const RESPONSES_ONLY: readonly ModelEndpoint[] = ['responses', 'batch'];
function chat(id: string, contextWindow: number, maxOutputTokens: number, tier: CapabilityTier, extra: Partial<CatalogModel> = {}): CatalogModel {
  const encoding: EncodingName = /^(gpt-4(?![o.])|gpt-3\.5)/.test(id) ? 'cl100k_base' : 'o200k_base';
  return { id, kind: 'chat', contextWindow, maxOutputTokens, tier, encoding, reasoning: false, endpoints: CHAT_ENDPOINTS, ...extra };
}
function reasoning(id: string, contextWindow: number, maxOutputTokens: number, tier: CapabilityTier, extra: Partial<CatalogModel> = {}): CatalogModel {
  return chat(id, contextWindow, maxOutputTokens, tier, { reasoning: true, ...extra });
}
function embedding(id: string): CatalogModel {
  return { id, kind: 'embedding', contextWindow: 8191, maxOutputTokens: 0, tier: 1, encoding: 'cl100k_base', reasoning: false, endpoints: EMBEDDING_ENDPOINTS };
}

/**
 * The current OpenAI lineup with limits from OpenAI's model pages (developers.openai.com/api/docs/models/<id>)
 * as of CATALOG_AS_OF. Prices are not here: they come from the dated price data (see pricing/).
 */
export const MODEL_CATALOG: readonly CatalogModel[] = [
  reasoning('gpt-6-astra', 1050 * K, 128 * K, 5),
  reasoning('gpt-6-sol', 1050 * K, 128 * K, 4),
  reasoning('gpt-6-luna', 1050 * K, 128 * K, 2),
  reasoning('gpt-5.6-sol', 1050 * K, 128 * K, 5),
  reasoning('gpt-5.6-terra', 1050 * K, 128 * K, 4),
  reasoning('gpt-5.6-luna', 1050 * K, 128 * K, 2),
  reasoning('gpt-5.5', 1050 * K, 128 * K, 5),
  reasoning('gpt-5.4', 1050 * K, 128 * K, 4),
  reasoning('gpt-5.4-mini', 400 * K, 128 * K, 2),
  reasoning('gpt-5.4-nano', 400 * K, 128 * K, 1),
  reasoning('gpt-5.2', 400 * K, 128 * K, 4),
  reasoning('gpt-5.1', 400 * K, 128 * K, 4),
  reasoning('gpt-5', 400 * K, 128 * K, 4),
  reasoning('gpt-5-mini', 400 * K, 128 * K, 2),
  reasoning('gpt-5-nano', 400 * K, 128 * K, 1),
  chat('gpt-4.1', 1_047_576, 32_768, 3),
  chat('gpt-4.1-mini', 1_047_576, 32_768, 2),
  chat('gpt-4.1-nano', 1_047_576, 32_768, 1),
  chat('gpt-4o', 128 * K, 16_384, 3),
  chat('gpt-4o-mini', 128 * K, 16_384, 2),
  reasoning('o3', 200 * K, 100 * K, 4),
  reasoning('o3-pro', 200 * K, 100 * K, 5, { legacy: true, endpoints: RESPONSES_ONLY }),
  reasoning('o4-mini', 200 * K, 100 * K, 4),
  reasoning('o3-mini', 200 * K, 100 * K, 4, { legacy: true }),
  reasoning('o1', 200 * K, 100 * K, 4, { legacy: true }),
  chat('gpt-4.5-preview', 128 * K, 16_384, 3, { legacy: true }),
  chat('gpt-4-turbo', 128 * K, 4_096, 3, { legacy: true }),
  chat('gpt-4', 8_192, 8_192, 3, { legacy: true }),
  chat('gpt-3.5-turbo', 16_385, 4_096, 1, { legacy: true }),
  embedding('text-embedding-3-small'),
  embedding('text-embedding-3-large'),
  { ...embedding('text-embedding-ada-002'), legacy: true },
];
