import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import { readApi, readPositiveInteger, readRecord, readString, readTask } from './promptBuilder';
import type { PromptContext } from './promptContext';
import type { ParsedPromptFile, PromptDiagnostic } from './promptTypes';
import { buildTemplatePrompt, imageHeadReader } from './templatePrompt';

const MAX_TOKEN_KEYS = ['maxOutputTokens', 'max_tokens', 'maxTokens', 'max_completion_tokens'] as const;

/**
 * Google Dotprompt (`*.prompt`): front matter `model: openai/gpt-4o-mini`, `config.maxOutputTokens`,
 * `config.temperature` and the other API parameters (camelCase or snake_case), `input.default` and JSON Schema
 * `default`s in `input.schema` (sample values); the Handlebars body is rendered with the `dotprompt` library's
 * helpers and the partials `{{> name}}` from `_name.prompt` beside the file, then split at its role markers.
 */
export function parseDotprompt(file: string, text: string, context: PromptContext = {}): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines, context.frontMatters);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const data = frontMatter.block?.data ?? {};
  const fallback = lines.lineSpan(0);
  const span = (path: readonly string[]) => frontMatterValueSpan(frontMatter.document, frontMatter.block, path, lines);
  const config = readRecord(data.config);
  const maxTokensKey = MAX_TOKEN_KEYS.find((key) => config[key] !== undefined) ?? 'maxOutputTokens';
  const input = readRecord(data.input);
  const samples = { ...schemaDefaults(input.schema), ...readRecord(input.default) };
  const source = text.slice(frontMatter.bodyStart);
  const partials = readPartials(source, file, context, diagnostics, lines);
  const prompt = buildTemplatePrompt(
    file,
    'dotprompt',
    text,
    {
      engine: 'handlebars',
      source,
      sourceStart: frontMatter.bodyStart,
      roles: 'dotprompt',
      partials,
      metadata: { prompt: data },
      defaults: samples,
    },
    {
      model: readString(data.model),
      modelSpan: span(['model']),
      maxTokens: readPositiveInteger(
        config[maxTokensKey],
        maxTokensKey,
        span(['config', maxTokensKey]),
        diagnostics,
        fallback,
      ),
      maxTokensPath: config[maxTokensKey] === undefined ? undefined : ['config', maxTokensKey],
      choices:
        readPositiveInteger(data.candidates ?? config.candidateCount, 'candidates', undefined, diagnostics, fallback) ??
        1,
      parameters: readDeclaredParameters(config, ['config'], (path) =>
        frontMatterKeySpan(frontMatter.document, frontMatter.block, path, lines),
      ),
      api: readApi(config.api ?? data.api, span(['config', 'api']) ?? span(['api']), diagnostics, fallback),
      declaredTask: readTask(data.task ?? readRecord(data.metadata).task, span(['task']), diagnostics, fallback),
      samples,
      defaultNames: Object.keys(samples),
      tools: [],
      dataFile: readString(data.data),
      chunk: data.chunk,
    },
    lines,
    diagnostics,
    context.templates,
    imageHeadReader(context, file),
  );
  return { file, format: 'dotprompt', prompts: [prompt], diagnostics, frontMatter: frontMatter.block };
}

const PARTIAL = /\{\{~?>\s*([\w./-]+)/g;

/**
 * The partials a body uses, read from `_name.prompt` in the prompt's folder (Dotprompt's directory store layout),
 * and the partials they use in turn. A missing partial is an error at its line (Handlebars would throw when rendering).
 */
function readPartials(
  source: string,
  file: string,
  context: PromptContext,
  diagnostics: PromptDiagnostic[],
  lines: LineIndex,
): Record<string, string> {
  const partials: Record<string, string> = {};
  const pending = [...source.matchAll(PARTIAL)].map((match) => ({
    name: match[1] ?? '',
    offset: match.index ?? 0,
    top: true,
  }));
  while (pending.length > 0) {
    const next = pending.shift()!;
    if (next.name in partials) continue;
    const text = context.readDocument?.(file, partialFileName(next.name));
    if (text === undefined) {
      if (!next.top) continue;
      const start = lines.text.length - source.length + next.offset;
      diagnostics.push({
        span: lines.span(start, start + next.name.length + 4),
        severity: 'error',
        code: 'partial-missing',
        message: `Partial "${next.name}" not found: Dotprompt reads it from ${partialFileName(next.name)} in this prompt's folder. Create that file or remove {{> ${next.name}}}.`,
      });
      continue;
    }
    const body = stripFrontMatter(text);
    partials[next.name] = body;
    for (const match of body.matchAll(PARTIAL)) pending.push({ name: match[1] ?? '', offset: 0, top: false });
  }
  return partials;
}

/** `{{> style}}` → `_style.prompt`; `{{> shared/style}}` → `shared/_style.prompt`. */
export function partialFileName(name: string): string {
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}_${name.slice(slash + 1)}.prompt`;
}

function stripFrontMatter(text: string): string {
  const match = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return match ? text.slice(match[0].length) : text;
}

/**
 * `default`s of an `input.schema` written as JSON Schema (`properties.x.default`, nested objects' own defaults
 * gathered into an object value), used as sample values under `input.default`. Picoschema (Dotprompt's compact
 * form, `name?: string, description`) has no default syntax: its text after the comma is a description only
 * (google/dotprompt js/src/picoschema.ts `extractDescription`), so a Picoschema field has no sample value unless
 * `input.default` gives one. Dotprompt's own `render` merges only `input.default`; these are estimate samples.
 */
function schemaDefaults(schema: unknown): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(readRecord(readRecord(schema).properties))) {
    const value = readRecord(property).default;
    if (value !== undefined) defaults[name] = value;
    else if (readRecord(property).properties !== undefined) {
      const nested = schemaDefaults(property);
      if (Object.keys(nested).length > 0) defaults[name] = nested;
    }
  }
  return defaults;
}
