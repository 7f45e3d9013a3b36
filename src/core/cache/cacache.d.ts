// cacache ships no types and there is no @types package in the project; this covers the calls diskTier makes.
declare module 'cacache' {
  interface CacheEntry {
    data: Buffer;
    integrity: string;
    size: number;
    metadata?: unknown;
  }
  interface EntryInfo {
    key: string;
    integrity: string;
    path: string;
    size: number;
    time: number;
    metadata?: unknown;
  }
  interface GetFunction {
    (cache: string, key: string, options?: { memoize?: boolean }): Promise<CacheEntry>;
    info(cache: string, key: string): Promise<EntryInfo | null>;
  }
  interface RemoveFunction {
    (cache: string, key: string, options?: { removeFully?: boolean }): Promise<unknown>;
    entry(cache: string, key: string, options?: { removeFully?: boolean }): Promise<unknown>;
    content(cache: string, integrity: string): Promise<unknown>;
  }
  export const get: GetFunction;
  export function put(
    cache: string,
    key: string,
    data: string | Buffer,
    options?: { algorithms?: string[]; metadata?: unknown; memoize?: boolean },
  ): Promise<string>;
  export const rm: RemoveFunction;
}
