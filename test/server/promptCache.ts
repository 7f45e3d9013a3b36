/** How many recent prompts per model are kept for prefix matching. */
const RECENT_PROMPTS_PER_MODEL = 32;
/** OpenAI caches prefixes in steps of this many tokens. */
const CACHE_STEP_TOKENS = 128;

/**
 * Simulates OpenAI prompt caching: a prompt that shares a prefix of at least `minimumTokens` with a recent prompt
 * of the same model reports that prefix, rounded down to a multiple of 128, as `cached_tokens`.
 */
export class PromptCache {
  private readonly recentByModel = new Map<string, number[][]>();

  constructor(private readonly minimumTokens: () => number) {}

  /** Cached tokens `sequence` would get now (does not remember it). */
  cachedTokens(model: string, sequence: readonly number[]): number {
    if (sequence.length < this.minimumTokens()) return 0;
    let longest = 0;
    for (const previous of this.recentByModel.get(model) ?? []) {
      longest = Math.max(longest, sharedPrefixLength(previous, sequence));
    }
    if (longest < this.minimumTokens()) return 0;
    return Math.floor(longest / CACHE_STEP_TOKENS) * CACHE_STEP_TOKENS;
  }

  /** Remembers a served prompt so later prompts can hit it. */
  remember(model: string, sequence: readonly number[]): void {
    if (sequence.length < this.minimumTokens()) return;
    const recent = this.recentByModel.get(model) ?? [];
    recent.push([...sequence]);
    if (recent.length > RECENT_PROMPTS_PER_MODEL) recent.shift();
    this.recentByModel.set(model, recent);
  }

  /** Forgets every prompt. */
  clear(): void {
    this.recentByModel.clear();
  }
}

function sharedPrefixLength(left: readonly number[], right: readonly number[]): number {
  const limit = Math.min(left.length, right.length);
  let index = 0;
  while (index < limit && left[index] === right[index]) index += 1;
  return index;
}
