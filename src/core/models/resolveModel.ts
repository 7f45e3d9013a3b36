import type { PriceOverrides } from '../pricing/priceOverride';
import { findOverride } from '../pricing/priceOverride';
import { encodingForModel, type EncodingChoice } from '../tokens/encodingForModel';
import { findCatalogModel } from './findModel';
import {
  CHAT_ENDPOINTS,
  EMBEDDING_ENDPOINTS,
  type CapabilityTier,
  type CatalogModel,
  type ModelEndpoint,
  type ModelRules,
} from './modelCatalog';

/** What we know about a model name: catalog facts, adjusted by the user's override. */
export interface ResolvedModel extends ModelRules {
  readonly name: string;
  readonly catalog?: CatalogModel;
  readonly kind: 'chat' | 'embedding';
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly tier?: CapabilityTier;
  readonly encoding: EncodingChoice;
  /** Endpoints that serve it; unknown chat models are assumed to be served by all chat endpoints. */
  readonly endpoints: readonly ModelEndpoint[];
  /** In the catalog or described by an override. */
  readonly known: boolean;
  /** Parameter rules are known (catalog model, or an override that says whether it reasons): checks apply. */
  readonly rulesKnown: boolean;
}

/**
 * One model's facts: the dated catalog, then `promptmeter.pricing.overrides` for that name (Azure deployments,
 * compatible servers), which can set every field. Unknown models get permissive defaults and no parameter checks.
 */
export function resolveModel(name: string, overrides: PriceOverrides = {}): ResolvedModel {
  const catalog = findCatalogModel(name);
  const override = findOverride(overrides, name);
  const encoding = encodingForModel(name, override?.encoding ?? catalog?.encoding);
  const kind = catalog?.kind ?? (/embedding/i.test(name) ? 'embedding' : 'chat');
  const reasoning = override?.reasoning ?? catalog?.reasoning ?? false;
  return {
    name,
    catalog,
    kind,
    endpoints:
      override?.endpoints ?? catalog?.endpoints ?? (kind === 'embedding' ? EMBEDDING_ENDPOINTS : CHAT_ENDPOINTS),
    contextWindow: override?.contextWindow ?? catalog?.contextWindow,
    maxOutputTokens: override?.maxOutput ?? catalog?.maxOutputTokens,
    tier: override?.tier ?? catalog?.tier,
    encoding: catalog || override?.encoding ? { ...encoding, approximate: false } : encoding,
    reasoning,
    reasoningEfforts:
      override?.reasoningEfforts ?? catalog?.reasoningEfforts ?? (reasoning ? ['low', 'medium', 'high'] : []),
    defaultReasoningEffort: override?.defaultReasoningEffort ?? catalog?.defaultReasoningEffort,
    samplingWithEffortNone: override?.samplingWithEffortNone ?? catalog?.samplingWithEffortNone ?? false,
    structuredOutputs: override?.structuredOutputs ?? catalog?.structuredOutputs ?? true,
    verbosity: override?.verbosity ?? catalog?.verbosity ?? false,
    ...flexField(override?.flexProcessing ?? catalog?.flexProcessing),
    known: catalog !== undefined || override !== undefined,
    rulesKnown: catalog !== undefined || override?.reasoning !== undefined,
  };
}

function flexField(flexProcessing: boolean | undefined): { flexProcessing?: boolean } {
  return flexProcessing === undefined ? {} : { flexProcessing };
}
