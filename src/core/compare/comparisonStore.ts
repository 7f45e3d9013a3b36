import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WorkspaceLayout } from '../workspace/workspaceLayout';
import type { SavedComparison } from './compareTypes';

/** `<workspace>/.promptmeter/comparisons`: saved comparisons, beside `runs/` and `ledger/` (see WorkspaceLayout). */
export function comparisonsFolderOf(workspaceFolder: string): string {
  return new WorkspaceLayout(workspaceFolder).comparisons;
}

/** SHA-256 of a prompt file's text: a comparison speaks for the text it was run on. */
export function promptTextHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Saved comparisons, one JSON file each under `.promptmeter/comparisons/` (beside `runs/`), named by id (sortable
 * by time). Written to a temporary name and renamed, so a reader never sees half a file.
 */
export class ComparisonStore {
  constructor(readonly root: string) {}

  /** A new id: UTC time to the second plus a short random part. */
  static newId(now: Date, random: string): string {
    return `${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${random.slice(0, 6)}`;
  }

  /** Writes the comparison; returns its path. */
  save(comparison: SavedComparison): string {
    mkdirSync(this.root, { recursive: true });
    const target = path.join(this.root, `${comparison.id}.json`);
    const temporary = `${target}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(comparison, null, 2)}\n`);
    renameSync(temporary, target);
    return target;
  }

  /** The newest comparison of `file` run on the text with `promptHash`, if any (unreadable files are skipped). */
  latestFor(file: string, promptHash: string): SavedComparison | undefined {
    let names: string[];
    try {
      names = readdirSync(this.root)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .reverse();
    } catch {
      return undefined;
    }
    for (const name of names) {
      try {
        const saved = JSON.parse(readFileSync(path.join(this.root, name), 'utf8')) as SavedComparison;
        if (saved.file === file && saved.promptHash === promptHash) return saved;
      } catch {
        continue;
      }
    }
    return undefined;
  }
}
