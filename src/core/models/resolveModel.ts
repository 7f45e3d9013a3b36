import type { PriceOverrides } from '../pricing/priceOverride';
import { findOverride } from '../pricing/priceOverride';
import { encodingForModel, type EncodingChoice } from '../tokens/encodingForModel';
import { findCatalogModel } from './findModel';
import type { CapabilityTier, CatalogModel } from './modelCatalog';

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
  /** In the catalog or described by an override. */
  readonly known: boolean;
}

export function resolveModel(name: string, overrides: PriceOverrides = {}): ResolvedModel {
  const catalog = findCatalogModel(name);
  const override = findOverride(overrides, name);
  const encoding = encodingForModel(name, override?.encoding ?? catalog?.encoding);
  return {
    name,
    catalog,
    kind: catalog?.kind ?? (/embedding/i.test(name) ? 'embedding' : 'chat'),
    contextWindow: override?.contextWindow ?? catalog?.contextWindow,
    maxOutputTokens: override?.maxOutput ?? catalog?.maxOutputTokens,
    tier: override?.tier ?? catalog?.tier,
    encoding: catalog || override?.encoding ? { ...encoding, approximate: false } : encoding,
    reasoning: catalog?.reasoning ?? false,
    known: catalog !== undefined || override !== undefined,
  };
}
