import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DocumentReader } from './promptMapReduce';

/** Documents larger than this are not read for estimates (a 50 MB log is not a prompt's document). */
const MAXIMUM_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * The folder a prompt's path is relative to: one folder, or a function of the prompt's path (a multi-root workspace:
 * the folder that holds it; undefined: nothing to read, e.g. no folder open). `''` asks for the root itself (`.env`).
 */
export type PromptRoot = string | ((promptFile: string) => string | undefined);

/**
 * Reads documents from disk relative to the prompt file (itself relative to `root`), caching each by path and
 * modification time so live estimates do not re-read an unchanged document on every keystroke. The same
 * string is returned while the file is unchanged, which lets callers memoize by identity.
 */
export function createFileDocumentReader(root: PromptRoot): DocumentReader {
  const rootOf = typeof root === 'string' ? () => root : root;
  const resolve = (promptFile: string, relativePath: string): string | undefined => {
    const base = rootOf(promptFile);
    return base === undefined ? undefined : path.resolve(base, path.dirname(promptFile), relativePath);
  };
  const cache = new Map<string, { modified: number; text: string }>();
  const heads = new Map<string, { modified: number; bytes: Uint8Array }>();
  const readHead = (promptFile: string, relativePath: string, maxBytes: number): Uint8Array | undefined => {
    const file = resolve(promptFile, relativePath);
    if (file === undefined) return undefined;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) return undefined;
      const cached = heads.get(file);
      if (cached && cached.modified === stats.mtimeMs && cached.bytes.length >= Math.min(maxBytes, stats.size))
        return cached.bytes.subarray(0, maxBytes);
      const bytes = Buffer.alloc(Math.min(maxBytes, stats.size));
      const descriptor = openSync(file, 'r');
      try {
        readSync(descriptor, bytes, 0, bytes.length, 0);
      } finally {
        closeSync(descriptor);
      }
      heads.set(file, { modified: stats.mtimeMs, bytes });
      return bytes;
    } catch {
      return undefined;
    }
  };
  const read = (promptFile: string, relativePath: string): string | undefined => {
    const file = resolve(promptFile, relativePath);
    if (file === undefined) return undefined;
    try {
      const stats = statSync(file);
      if (!stats.isFile() || stats.size > MAXIMUM_DOCUMENT_BYTES) return undefined;
      const cached = cache.get(file);
      if (cached && cached.modified === stats.mtimeMs) return cached.text;
      const text = readFileSync(file, 'utf8');
      cache.set(file, { modified: stats.mtimeMs, text });
      return text;
    } catch {
      return undefined;
    }
  };
  return Object.assign(read, { readHead });
}
