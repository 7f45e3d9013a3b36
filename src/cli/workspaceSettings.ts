import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
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
  // jsonc-parser is the parser VS Code itself reads settings.json with (comments, trailing commas), so the CLI
  // accepts exactly what the editor accepts and reports errors at the same places.
  const errors: ParseError[] = [];
  const parsed: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    return {
      raw: {},
      problem: `${file} is not valid JSON (line ${line}: ${printParseErrorCode(first.error)}); its settings are ignored.`,
    };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { raw: {} };
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key.startsWith('promptmeter.')) raw[key.slice('promptmeter.'.length)] = value;
  }
  return { raw: raw as Partial<Record<SettingKey, unknown>> };
}
