import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDotpromptPartial, promptFormatFor } from '../core/prompts/promptFileKind';
import type { PromptFormat } from '../core/prompts/promptTypes';
import { UsageError } from './cliArguments';
import { PROMPT_METER_FOLDER } from '../core/workspace/workspaceLayout';

export interface PromptFileEntry {
  readonly absolutePath: string;
  /** Relative to the current directory, `/`-separated (what reports show). */
  readonly displayPath: string;
  readonly format: PromptFormat;
}

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  'dist',
  'out',
  PROMPT_METER_FOLDER,
  '.e2e-cache',
  'test-artifacts',
]);

/**
 * Expands files and folders into prompt files, sorted by path. A file named explicitly is estimated even
 * outside the prompt folders (as plain text when its format is not recognised), except Dotprompt partials
 * (`_name.prompt`), which are only ever part of another prompt.
 */
export function findPromptFiles(
  paths: readonly string[],
  promptFolders: readonly string[],
  cwd = process.cwd(),
): PromptFileEntry[] {
  const found = new Map<string, PromptFileEntry>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new UsageError(`No such file or folder: ${given}`);
    }
    if (stats.isDirectory()) walk(absolute, cwd, promptFolders, found);
    else if (!isDotpromptPartial(absolute)) {
      const displayPath = toDisplay(absolute, cwd);
      const format =
        promptFormatFor(displayPath, promptFolders, firstBytes(absolute)) ??
        (absolute.endsWith('.jsonl') ? 'batch-jsonl' : 'plain-text');
      found.set(absolute, { absolutePath: absolute, displayPath, format });
    }
  }
  return [...found.values()].sort((left, right) => left.displayPath.localeCompare(right.displayPath));
}

function walk(
  directory: string,
  cwd: string,
  promptFolders: readonly string[],
  found: Map<string, PromptFileEntry>,
): void {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const absolute = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(absolute, cwd, promptFolders, found);
      continue;
    }
    if (!entry.isFile()) continue;
    const displayPath = toDisplay(absolute, cwd);
    const format = promptFormatFor(
      displayPath,
      promptFolders,
      absolute.endsWith('.jsonl') ? firstBytes(absolute) : undefined,
    );
    if (format) found.set(absolute, { absolutePath: absolute, displayPath, format });
  }
}

function toDisplay(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return (relative.startsWith('..') ? absolute : relative).split(path.sep).join('/');
}

/** The first few KB, to tell Batch input from other JSONL without reading a large file. */
function firstBytes(file: string): string {
  const buffer = Buffer.alloc(4096);
  const descriptor = openSync(file, 'r');
  try {
    const read = readSync(descriptor, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
}
