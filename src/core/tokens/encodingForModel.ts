/** The two BPE encodings current OpenAI models use. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

export const ENCODING_NAMES: readonly EncodingName[] = ['o200k_base', 'cl100k_base'];

/** Which encoding counts a model's tokens, and whether that is a guess. */
export interface EncodingChoice {
  readonly encoding: EncodingName;
  /** True when the model is not a known OpenAI family: counts are then approximate. */
  readonly approximate: boolean;
}

const O200K_FAMILIES =
  /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|o1|o3|o4|gpt-oss|codex|computer-use|gpt-realtime|gpt-audio)/;
const CL100K_FAMILIES = /^(gpt-4(?![o.\d])|gpt-3\.5|gpt-35|text-embedding-)/;

/** Strips provider prefixes (`openai/gpt-4o`, `azure:`) and fine-tune wrappers (`ft:gpt-4o-mini:org::id`). */
export function normalizeModelName(model: string): string {
  let name = model.trim().toLowerCase();
  const slash = name.lastIndexOf('/');
  if (slash >= 0) name = name.slice(slash + 1);
  if (name.startsWith('ft:')) name = name.slice(3).split(':')[0] ?? name;
  return name;
}

/**
 * o200k_base for gpt-4o / 4.1 / 4.5 / o-series / gpt-5* / gpt-6*; cl100k_base for gpt-4, gpt-3.5 and
 * text-embedding-*; anything else is counted with o200k_base and marked approximate.
 */
export function encodingForModel(model: string, override?: EncodingName): EncodingChoice {
  if (override) return { encoding: override, approximate: false };
  const name = normalizeModelName(model);
  if (O200K_FAMILIES.test(name)) return { encoding: 'o200k_base', approximate: false };
  if (CL100K_FAMILIES.test(name)) return { encoding: 'cl100k_base', approximate: false };
  return { encoding: 'o200k_base', approximate: true };
}
