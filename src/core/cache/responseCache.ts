import type { CacheTier, CacheTierName } from './cacheTier';

/** A cache hit: the parsed value and the tier that had it. */
export interface CacheHit<T> {
  value: T;
  tier: CacheTierName;
}

/**
 * The tiers in order, fastest first (memory → disk → Redis). A hit in a lower tier is copied into every tier
 * above it before returning; a write goes to all tiers. A value that the caller's `parse` rejects (an old
 * format, a truncated write) is deleted from that tier and the search continues below it.
 */
export class ResponseCache {
  constructor(private readonly tiers: readonly CacheTier[]) {}

  /** Names of the configured tiers, fastest first. */
  get tierNames(): CacheTierName[] {
    return this.tiers.map((tier) => tier.name);
  }

  async get<T>(key: string, parse: (text: string) => T | undefined): Promise<CacheHit<T> | undefined> {
    for (const [index, tier] of this.tiers.entries()) {
      const text = await tier.get(key);
      if (text === undefined) continue;
      const value = safeParse(parse, text);
      if (value === undefined) {
        await tier.delete(key);
        continue;
      }
      await Promise.all(this.tiers.slice(0, index).map((upper) => upper.set(key, text)));
      return { value, tier: tier.name };
    }
    return undefined;
  }

  /**
   * The tier that holds a value `parse` accepts, searched like {@link get} but changing nothing (no copy upwards, no
   * delete): a plan asks what the run will hit without making the hit look like a memory one.
   */
  async peek<T>(key: string, parse: (text: string) => T | undefined): Promise<CacheTierName | undefined> {
    for (const tier of this.tiers) {
      const text = await tier.get(key);
      if (text !== undefined && safeParse(parse, text) !== undefined) return tier.name;
    }
    return undefined;
  }

  async set(key: string, text: string): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.set(key, text)));
  }

  async delete(key: string): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.delete(key)));
  }

  async close(): Promise<void> {
    await Promise.all(this.tiers.map((tier) => tier.close()));
  }
}

function safeParse<T>(parse: (text: string) => T | undefined, text: string): T | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
