import type { CapabilityTier, ModelEndpoint } from '../models/modelCatalog';
import type { ReasoningEffort } from '../models/reasoningEffort';
import type { EncodingName } from '../tokens/encodingForModel';

/**
 * One entry of `promptmeter.pricing.overrides` (keyed by model or deployment name): negotiated prices,
 * Azure deployments, local models at $0, and any model fact of the catalog (limits, reasoning, accepted
 * parameters, endpoints). Rates are USD per one million tokens. Overrides win over bundled data.
 */
export interface PriceOverride {
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
  /** Produces hidden reasoning tokens and takes `max_completion_tokens`; setting it turns on parameter checks. */
  readonly reasoning?: boolean;
  readonly reasoningEfforts?: readonly ReasoningEffort[];
  readonly defaultReasoningEffort?: ReasoningEffort;
  readonly samplingWithEffortNone?: boolean;
  readonly structuredOutputs?: boolean;
  readonly verbosity?: boolean;
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
