import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import { readApi, readPositiveInteger, readRecord, readString, readTask, readTools } from './promptBuilder';
import { resolveReferences, type PromptContext } from './promptContext';
import type { ParsedPromptFile, PromptDiagnostic, TextSpan } from './promptTypes';
import type { TemplateEngine } from './templateEngines';
import { buildTemplatePrompt, imageHeadReader } from './templatePrompt';

/** Where Prompty files name the model, most specific first. */
export const PROMPTY_MODEL_PATHS: readonly (readonly string[])[] = [
  ['model', 'configuration', 'azure_deployment'],
  ['model', 'configuration', 'model'],
  ['model', 'configuration', 'name'],
  ['model', 'id'],
  ['model'],
];

/**
 * Microsoft Prompty v1 and v2: front matter `model.configuration` (name / model / azure_deployment) or v2 `model.id`,
 * `model.parameters` (v1: max_tokens, temperature, …) or `model.options` (v2: maxOutputTokens, topP, …), `sample:`
 * and `inputs:` (a map or a v2 list; sample/example/default values), `${env:VAR}` and `${file:path}` values; the body
 * is rendered with `template.format` (jinja2 by default, or mustache) and then split at role lines, where text before
 * the first role is a system message, as Prompty's runtime does.
 */
export function parsePrompty(file: string, text: string, context: PromptContext = {}): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines, context.frontMatters);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const fallback = lines.lineSpan(0);
  const span = (path: readonly string[]) => frontMatterValueSpan(frontMatter.document, frontMatter.block, path, lines);
  const references = resolveReferences(frontMatter.block?.data ?? {}, file, context);
  const data = references.data;
  for (const unset of references.unset) {
    // Only what changes the estimate: the model name and sample values (not endpoints or keys).
    const isModel = PROMPTY_MODEL_PATHS.some((path) => path.join('.') === unset.path.join('.'));
    if (!isModel && unset.path[0] !== 'sample' && unset.path[0] !== 'inputs') continue;
    diagnostics.push({
      span: span(unset.path) ?? fallback,
      severity: 'information',
      code: 'env-unset',
      message: `${unset.variable} is not set (neither in the environment nor in the workspace .env), so ${unset.path.join('.')} is left out${isModel ? ': the estimate uses the default model (promptmeter.defaultModel, or --model)' : ''}.`,
    });
  }
  for (const unreadable of references.unreadable) {
    diagnostics.push({
      span: span(unreadable.path) ?? fallback,
      severity: 'warning',
      code: 'file-reference-unreadable',
      message: `\${file:${unreadable.file}} could not be read (relative to this file), so ${unreadable.path.join('.')} is left out.`,
    });
  }

  const model = readRecord(data.model);
  const parameters = readRecord(model.parameters);
  let modelName: string | undefined;
  let modelPath: readonly string[] | undefined;
  for (const path of PROMPTY_MODEL_PATHS) {
    const value = readString(valueAt(data, path));
    if (value) {
      modelName = value;
      modelPath = path;
      break;
    }
  }
  const options = readRecord(model.options);
  const keySpan = (path: readonly string[]) => frontMatterKeySpan(frontMatter.document, frontMatter.block, path, lines);
  const maxTokensPath = findMaxTokensPath(parameters, options);
  const maxTokensValue = maxTokensPath ? valueAt(data, maxTokensPath) : undefined;
  const maxTokensKey = maxTokensPath?.[maxTokensPath.length - 1] ?? 'max_tokens';
  const samples = promptySamples(data);
  const engine = templateEngine(
    data.template,
    span(['template', 'format']) ?? span(['template']),
    diagnostics,
    fallback,
  );
  const prompt = buildTemplatePrompt(
    file,
    'prompty',
    text,
    {
      engine,
      source: text.slice(frontMatter.bodyStart),
      sourceStart: frontMatter.bodyStart,
      roles: 'prompty',
      partials: {},
      metadata: {},
      defaults: samples,
    },
    {
      model: modelName,
      modelSpan: modelPath ? span(modelPath) : undefined,
      maxTokens: readPositiveInteger(
        maxTokensValue,
        maxTokensKey,
        maxTokensPath && span(maxTokensPath),
        diagnostics,
        fallback,
      ),
      maxTokensPath,
      choices: readPositiveInteger(parameters.n, 'n', span(['model', 'parameters', 'n']), diagnostics, fallback) ?? 1,
      // v1 writes model.parameters (snake_case), v2 model.options (camelCase); v1's win when both name one.
      parameters: [
        ...readDeclaredParameters(parameters, ['model', 'parameters'], keySpan),
        ...readDeclaredParameters(options, ['model', 'options'], keySpan),
      ].filter((parameter, index, all) => all.findIndex((other) => other.name === parameter.name) === index),
      api: readApi(
        model.apiType ?? model.api,
        span(['model', 'apiType']) ?? span(['model', 'api']),
        diagnostics,
        fallback,
      ),
      declaredTask: readTask(data.task ?? readRecord(data.metadata).task, span(['task']), diagnostics, fallback),
      samples,
      defaultNames: promptyDefaultNames(data),
      tools: readTools(data.tools ?? parameters.tools),
      dataFile: readString(data.data),
      chunk: data.chunk,
    },
    lines,
    diagnostics,
    context.templates,
    imageHeadReader(context, file),
  );
  return { file, format: 'prompty', prompts: [prompt], diagnostics, frontMatter: frontMatter.block };
}

/** `inputs:` as name/definition pairs, from a map (v1) or a list of `{name, …}` (v2). */
function promptyInputs(data: Record<string, unknown>): Array<[string, unknown]> {
  const inputs = data.inputs;
  return Array.isArray(inputs)
    ? inputs.map((input) => [String(readRecord(input).name ?? ''), input])
    : Object.entries(readRecord(inputs));
}

/** Inputs with a `default` (map or v2 list): Prompty fills them at run time when a row has no value. */
function promptyDefaultNames(data: Record<string, unknown>): string[] {
  return promptyInputs(data)
    .filter(
      ([name, input]) =>
        name && (readRecord(input).default !== undefined || (input !== null && typeof input !== 'object')),
    )
    .map(([name]) => name);
}

/** `template: mustache` (v1) or `template: {format: mustache}` (v2); jinja2 when not given, as in Prompty. */
function templateEngine(
  value: unknown,
  span: TextSpan | undefined,
  diagnostics: PromptDiagnostic[],
  fallback: TextSpan,
): TemplateEngine {
  const format = (typeof value === 'string' ? value : readString(readRecord(value).format))?.toLowerCase() ?? 'jinja2';
  if (format === 'jinja2' || format === 'nunjucks') return 'jinja2';
  if (format === 'mustache') return 'mustache';
  diagnostics.push({
    span: span ?? fallback,
    severity: 'warning',
    code: 'unknown-template-format',
    message: `Unknown template format "${format}": Prompty renders jinja2 or mustache. The estimate renders it as jinja2.`,
  });
  return 'jinja2';
}

/**
 * `sample:` wins over `inputs.<name>.sample`, then `.example` (v2), then `.default`; a top-level `sample` may be a
 * `${file:…}` reference (already read).
 */
function promptySamples(data: Record<string, unknown>): Record<string, unknown> {
  const samples: Record<string, unknown> = {};
  for (const [name, input] of promptyInputs(data)) {
    if (!name) continue;
    if (input === null || typeof input !== 'object') {
      if (input !== undefined && input !== null) samples[name] = input;
      continue;
    }
    const record = readRecord(input);
    const value = record.sample ?? record.example ?? record.default;
    if (value !== undefined) samples[name] = value;
  }
  return { ...samples, ...readRecord(data.sample) };
}

const MAX_TOKEN_KEYS = [
  'max_completion_tokens',
  'max_tokens',
  'maxOutputTokens',
  'maxTokens',
  'maxCompletionTokens',
] as const;

/** Where the output cap is written: v1 `model.parameters.max_tokens`, v2 `model.options.maxOutputTokens`. */
function findMaxTokensPath(
  parameters: Record<string, unknown>,
  options: Record<string, unknown>,
): readonly string[] | undefined {
  for (const [record, section] of [
    [parameters, 'parameters'],
    [options, 'options'],
  ] as const) {
    const key = MAX_TOKEN_KEYS.find((name) => record[name] !== undefined);
    if (key) return ['model', section, key];
  }
  return undefined;
}

function valueAt(data: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const key of path) current = readRecord(current)[key];
  return current;
}
