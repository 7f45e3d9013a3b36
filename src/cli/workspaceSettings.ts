import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SettingKey } from '../core/settings/settingDefaults';

/** What {@link readWorkspaceSettings} found in `.vscode/settings.json`. */
export interface WorkspaceSettings {
  /** `promptmeter.*` values keyed without the prefix, for `parseSettings`. */
  readonly raw: Partial<Record<SettingKey, unknown>>;
  /** Why the file could not be read, when it exists but is broken. */
  readonly problem?: string;
}

/**
 * Reads the `promptmeter.*` settings of a workspace's `.vscode/settings.json` (JSON with comments and trailing
 * commas, as VS Code writes it), so the CLI uses the same budgets and price overrides as the extension there.
 * A missing file is no settings.
 */
export function readWorkspaceSettings(workspaceFolder: string): WorkspaceSettings {
  const file = path.join(workspaceFolder, '.vscode', 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { raw: {} };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutCommentsAndTrailingCommas(text));
  } catch (error) {
    return { raw: {}, problem: `${file} is not valid JSON (${(error as Error).message}); its settings are ignored.` };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { raw: {} };
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.startsWith('promptmeter.')) raw[key.slice('promptmeter.'.length)] = value;
  }
  return { raw: raw as Partial<Record<SettingKey, unknown>> };
}

/** Removes // and /* *\/ comments outside strings, and commas before } or ]. */
function withoutCommentsAndTrailingCommas(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '"') {
      const end = stringEnd(text, index);
      result += text.slice(index, end);
      index = end - 1;
    } else if (character === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      result += '\n';
    } else if (character === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? text.length : end + 1;
    } else result += character;
  }
  return withoutTrailingCommas(result);
}

function withoutTrailingCommas(text: string): string {
  let result = '';
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (character === '"') {
      const end = stringEnd(text, index);
      result += text.slice(index, end);
      index = end - 1;
    } else if (character !== ',' || !/^\s*[}\]]/.test(text.slice(index + 1))) result += character;
  }
  return result;
}

/** The index just after the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index + 1;
  }
  return text.length;
}
