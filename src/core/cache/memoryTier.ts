import { LRUCache } from 'lru-cache';
import type { CacheTier } from './cacheTier';

/**
 * The in-process tier: least-recently-used eviction bounded by bytes (UTF-8 length of key + value), so a few
 * huge answers cannot crowd out memory. An entry larger than the whole bound is simply not kept.
 */
export class MemoryTier implements CacheTier {
  readonly name = 'memory' as const;
  private readonly entries: LRUCache<string, string>;

  /** @param maxBytes total size bound in bytes, > 0 (default 64 MiB) */
  constructor(readonly maxBytes = 64 * 1024 * 1024) {
    this.entries = new LRUCache<string, string>({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => Math.max(1, Buffer.byteLength(value) + Buffer.byteLength(key)),
    });
  }

  /** Bytes currently held. */
  get sizeBytes(): number {
    return this.entries.calculatedSize;
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    if (Buffer.byteLength(value) + Buffer.byteLength(key) > this.maxBytes) return;
    this.entries.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
