import { parse as parseYaml } from 'yaml';
import type { FrontMatterCache } from './frontMatter';
import type { TemplateCache } from './templateEngines';

/** What parsing may read besides the file's own text: files beside it and environment variables. */
export interface PromptContext {
  /** Reads `relativePath` relative to `promptFile`'s folder (`promptFile` '' = the workspace root); undefined: none. */
  readonly readDocument?: (promptFile: string, relativePath: string) => string | undefined;
  /** Reads a binary file's first bytes relative to `promptFile` (an image's size is in its header); undefined: none. */
  readonly readHead?: (promptFile: string, relativePath: string, maxBytes: number) => Uint8Array | undefined;
  /** Environment variables for Prompty `${env:VAR}` (the process environment over the workspace `.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Compiled templates kept across edits (Estimator owns one), so typing does not recompile. */
  readonly templates?: TemplateCache;
  /** Parsed front matter kept across edits (Estimator owns one), so typing in the body does not re-parse it. */
  readonly frontMatters?: FrontMatterCache;
}

/** A `${env:VAR}` that has no value and no default: the setting it stands for is left out. */
export interface UnsetReference {
  readonly path: readonly string[];
  readonly variable: string;
}

export interface ResolvedReferences {
  readonly data: Record<string, unknown>;
  readonly unset: readonly UnsetReference[];
  /** `${file:…}` references that could not be read, with their paths. */
  readonly unreadable: ReadonlyArray<{ readonly path: readonly string[]; readonly file: string }>;
}

const REFERENCE = /^\$\{(env|file):([^}]*)\}$/;

/**
 * Prompty's front matter references: a value `${env:VAR}` (or `${env:VAR:default}`) is the environment variable,
 * `${file:path}` is the file relative to the prompt (JSON and YAML files parsed, others as text), as Prompty's
 * loaders do. Returns a copy; unset variables and unreadable files are listed for diagnostics.
 */
export function resolveReferences(
  data: Record<string, unknown>,
  file: string,
  context: PromptContext,
): ResolvedReferences {
  const unset: UnsetReference[] = [];
  const unreadable: Array<{ path: readonly string[]; file: string }> = [];
  const visit = (value: unknown, path: readonly string[]): unknown => {
    if (typeof value === 'string') {
      const match = REFERENCE.exec(value.trim());
      if (!match) return value;
      const [, kind, argument = ''] = match;
      if (kind === 'env') {
        const [variable = '', ...rest] = argument.split(':');
        const found = context.env?.[variable];
        if (found !== undefined && found !== '') return found;
        if (rest.length > 0) return rest.join(':');
        unset.push({ path, variable });
        return undefined;
      }
      const text = context.readDocument?.(file, argument.trim());
      if (text === undefined) {
        unreadable.push({ path, file: argument.trim() });
        return undefined;
      }
      return parseFileValue(argument.trim(), text);
    }
    if (Array.isArray(value)) return value.map((item, index) => visit(item, [...path, String(index)]));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, visit(item, [...path, key])]),
      );
    }
    return value;
  };
  return { data: visit(data, []) as Record<string, unknown>, unset, unreadable };
}

function parseFileValue(name: string, text: string): unknown {
  const lower = name.toLowerCase();
  try {
    if (lower.endsWith('.json')) return JSON.parse(text) as unknown;
    if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return parseYaml(text) as unknown;
  } catch {
    return text;
  }
  return text;
}

/** A `.env` file's `NAME=value` lines (`export`, quotes and `#` comments as dotenv reads them). */
export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    values[match[1] ?? ''] = quote === '"' ? value.replace(/\\n/g, '\n') : value;
  }
  return values;
}

/**
 * The context of a workspace: files read through `readDocument` (relative to the prompt), environment variables
 * from the process over the workspace root's `.env` (as dotenv does: the environment wins).
 */
export function workspacePromptContext(
  readDocument: (PromptContext['readDocument'] & { readonly readHead?: PromptContext['readHead'] }) | undefined,
  templates?: TemplateCache,
  environment: Readonly<Record<string, string | undefined>> = process.env,
  frontMatters?: FrontMatterCache,
): PromptContext {
  if (!readDocument) return { env: environment, templates, frontMatters };
  const dotEnv = readDocument('', '.env');
  const env = dotEnv === undefined ? environment : { ...parseDotEnv(dotEnv), ...environment };
  return {
    readDocument,
    ...(readDocument.readHead ? { readHead: readDocument.readHead } : {}),
    templates,
    frontMatters,
    env,
  };
}
