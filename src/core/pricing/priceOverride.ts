import type { CapabilityTier, ModelEndpoint, ModelRules } from '../models/modelCatalog';
import type { EncodingName } from '../tokens/encodingForModel';

/**
 * One entry of `promptmeter.pricing.overrides` (keyed by model or deployment name): negotiated prices,
 * Azure deployments, local models at $0, and any model fact of the catalog (limits, reasoning, accepted
 * parameters, endpoints). Rates are USD per one million tokens. Overrides win over bundled data.
 */
/** Model rules may be overridden too (`reasoning` set turns on parameter checks for a deployment name). */
export interface PriceOverride extends Partial<ModelRules> {
  readonly input?: number;
  readonly cachedInput?: number;
  readonly output?: number;
  readonly contextWindow?: number;
  readonly maxOutput?: number;
  readonly encoding?: EncodingName;
  /** Capability tier 1–5, so the recommender can reason about a custom deployment. */
  readonly tier?: CapabilityTier;
  /** Endpoints that serve the deployment (e.g. `["responses"]` for a Responses-only model). */
  readonly endpoints?: readonly ModelEndpoint[];
}

export type PriceOverrides = Readonly<Record<string, PriceOverride>>;

/** Finds the override for a model name, ignoring case and surrounding space. */
export function findOverride(overrides: PriceOverrides, model: string): PriceOverride | undefined {
  const wanted = model.trim().toLowerCase();
  for (const [name, override] of Object.entries(overrides)) {
    if (name.trim().toLowerCase() === wanted) return override;
  }
  return undefined;
}
