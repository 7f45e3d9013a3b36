import type { PriceOverrides } from '../pricing/priceOverride';
import { findOverride } from '../pricing/priceOverride';
import { encodingForModel, type EncodingChoice } from '../tokens/encodingForModel';
import { findCatalogModel } from './findModel';
import { CHAT_ENDPOINTS, EMBEDDING_ENDPOINTS, type CapabilityTier, type CatalogModel, type ModelEndpoint } from './modelCatalog';

/** What we know about a model name: catalog facts, adjusted by the user's override. */
export interface ResolvedModel {
  readonly name: string;
  readonly catalog?: CatalogModel;
  readonly kind: 'chat' | 'embedding';
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly tier?: CapabilityTier;
  readonly encoding: EncodingChoice;
  readonly reasoning: boolean;
  /** Endpoints that serve it; unknown chat models are assumed to be served by all chat endpoints. */
  readonly endpoints: readonly ModelEndpoint[];
  /** In the catalog or described by an override. */
  readonly known: boolean;
}

export function resolveModel(name: string, overrides: PriceOverrides = {}): ResolvedModel {
  const catalog = findCatalogModel(name);
  const override = findOverride(overrides, name);
  const encoding = encodingForModel(name, override?.encoding ?? catalog?.encoding);
  const kind = catalog?.kind ?? (/embedding/i.test(name) ? 'embedding' : 'chat');
  return {
    name,
    catalog,
    kind,
    endpoints: override?.endpoints ?? catalog?.endpoints ?? (kind === 'embedding' ? EMBEDDING_ENDPOINTS : CHAT_ENDPOINTS),
    contextWindow: override?.contextWindow ?? catalog?.contextWindow,
    maxOutputTokens: override?.maxOutput ?? catalog?.maxOutputTokens,
    tier: override?.tier ?? catalog?.tier,
    encoding: catalog || override?.encoding ? { ...encoding, approximate: false } : encoding,
    reasoning: catalog?.reasoning ?? false,
    known: catalog !== undefined || override !== undefined,
  };
}
