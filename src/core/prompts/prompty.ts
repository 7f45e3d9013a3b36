import { readDeclaredParameters } from './declaredParameters';
import { frontMatterKeySpan, frontMatterValueSpan, parseFrontMatter } from './frontMatter';
import { LineIndex } from './lineIndex';
import { buildChatPrompt, readApi, readPositiveInteger, readRecord, readString, readTask, readTools } from './promptBuilder';
import type { ParsedPromptFile, PromptDiagnostic } from './promptTypes';
import { splitRoleSections } from './roleSections';

/** Where Prompty files name the model, most specific first. */
export const PROMPTY_MODEL_PATHS: readonly (readonly string[])[] = [
  ['model', 'configuration', 'azure_deployment'],
  ['model', 'configuration', 'model'],
  ['model', 'configuration', 'name'],
  ['model', 'id'],
  ['model'],
];

/**
 * Microsoft Prompty: front matter `model.configuration` (name / model / azure_deployment), `model.parameters`
 * (v1: max_tokens, temperature, …) or `model.options` (v2: maxOutputTokens, topP, …), `sample:` and `inputs:` (sample/default values); role-marked body where text
 * before the first role is a system message (as Prompty's own parser does).
 */
export function parsePrompty(file: string, text: string): ParsedPromptFile {
  const lines = new LineIndex(text);
  const frontMatter = parseFrontMatter(text, lines);
  const diagnostics: PromptDiagnostic[] = [...frontMatter.diagnostics];
  const data = frontMatter.block?.data ?? {};
  const fallback = lines.lineSpan(0);
  const span = (path: readonly string[]) => frontMatterValueSpan(frontMatter.document, frontMatter.block, path, lines);

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
  const prompt = buildChatPrompt(
    file,
    'prompty',
    text,
    splitRoleSections(text, frontMatter.bodyStart, 'lines', 'system'),
    {
      model: modelName,
      modelSpan: modelPath ? span(modelPath) : undefined,
      maxTokens: readPositiveInteger(maxTokensValue, maxTokensKey, maxTokensPath && span(maxTokensPath), diagnostics, fallback),
      maxTokensPath,
      choices: readPositiveInteger(parameters.n, 'n', span(['model', 'parameters', 'n']), diagnostics, fallback) ?? 1,
      // v1 writes model.parameters (snake_case), v2 model.options (camelCase); v1's win when both name one.
      parameters: [
        ...readDeclaredParameters(parameters, ['model', 'parameters'], keySpan),
        ...readDeclaredParameters(options, ['model', 'options'], keySpan),
      ].filter((parameter, index, all) => all.findIndex((other) => other.name === parameter.name) === index),
      api: readApi(model.apiType ?? model.api, span(['model', 'apiType']) ?? span(['model', 'api']), diagnostics, fallback),
      declaredTask: readTask(data.task ?? readRecord(data.metadata).task, span(['task']), diagnostics, fallback),
      samples: promptySamples(data),
      tools: readTools(data.tools ?? parameters.tools),
      dataFile: readString(data.data),
      chunk: data.chunk,
    },
    lines,
    diagnostics,
  );
  return { file, format: 'prompty', prompts: [prompt], diagnostics, frontMatter: frontMatter.block };
}

/** `sample:` wins over `inputs.<name>.sample`, which wins over `inputs.<name>.default`. */
function promptySamples(data: Record<string, unknown>): Record<string, unknown> {
  const samples: Record<string, unknown> = {};
  const inputs = data.inputs;
  const entries: Array<[string, unknown]> = Array.isArray(inputs)
    ? inputs.map((input) => [String(readRecord(input).name ?? ''), input])
    : Object.entries(readRecord(inputs));
  for (const [name, input] of entries) {
    if (!name) continue;
    if (input === null || typeof input !== 'object') {
      if (input !== undefined && input !== null) samples[name] = input;
      continue;
    }
    const record = readRecord(input);
    const value = record.sample ?? record.default;
    if (value !== undefined) samples[name] = value;
  }
  return { ...samples, ...readRecord(data.sample) };
}

const MAX_TOKEN_KEYS = ['max_completion_tokens', 'max_tokens', 'maxOutputTokens', 'maxTokens', 'maxCompletionTokens'] as const;

/** Where the output cap is written: v1 `model.parameters.max_tokens`, v2 `model.options.maxOutputTokens`. */
function findMaxTokensPath(parameters: Record<string, unknown>, options: Record<string, unknown>): readonly string[] | undefined {
  for (const [record, section] of [[parameters, 'parameters'], [options, 'options']] as const) {
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
