/** Where a cached answer was found. */
export type CacheTierName = 'memory' | 'disk' | 'redis';

/**
 * One level of the response cache. Values are serialised answers (JSON text).
 * Invariant: a tier never throws for a miss or for its own outage; it returns `undefined` / does nothing and
 * reports through the injected logger, so a broken tier degrades to the others instead of failing a call.
 */
export interface CacheTier {
  readonly name: CacheTierName;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
