import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DocumentReader } from './promptMapReduce';

/** Documents larger than this are not read for estimates (a 50 MB log is not a prompt's document). */
const MAXIMUM_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * Reads documents from disk relative to the prompt file (itself relative to `root`), caching each by path and
 * modification time so live estimates do not re-read an unchanged document on every keystroke. The same
 * string is returned while the file is unchanged, which lets callers memoize by identity.
 */
export function createFileDocumentReader(root: string): DocumentReader {
  const cache = new Map<string, { modified: number; text: string }>();
  return (promptFile, relativePath) => {
    const file = path.resolve(root, path.dirname(promptFile), relativePath);
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
}
