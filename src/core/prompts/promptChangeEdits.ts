import { isMap, parseDocument, type Document } from 'yaml';
import { LineIndex } from './lineIndex';
import type { TextEditPlan } from './promptEdits';
import { PROMPTY_MODEL_PATHS } from './prompty';
import type { ParsedPromptFile, PromptChange, PromptDefinition } from './promptTypes';

export interface ChangeEditOptions {
  /** The model after the changes reasons: a Batch body's cap is written as `max_completion_tokens`. */
  readonly reasoningModel: boolean;
}

/** Where each YAML format keeps the output cap when the file does not write one yet. */
const MAX_TOKENS_PATHS: Readonly<Record<string, readonly string[]>> = {
  'prompt-markdown': ['max_tokens'],
  'plain-text': ['max_tokens'],
  prompty: ['model', 'parameters', 'max_tokens'],
  dotprompt: ['config', 'maxOutputTokens'],
  'github-models': ['modelParameters', 'maxTokens'],
};

/**
 * Writes `changes` (model, output cap, parameters dropped or set) into the file in its own format, as one edit:
 * the front matter goes through the YAML document (comments and the rest kept), a Batch line through its JSON.
 * Plain `.txt` prompts hold no settings: no edits.
 */
export function promptChangeEdits(
  parsed: ParsedPromptFile,
  text: string,
  prompt: PromptDefinition,
  changes: readonly PromptChange[],
  options: ChangeEditOptions,
): TextEditPlan[] {
  if (changes.length === 0) return [];
  if (parsed.format === 'batch-jsonl') return batchLineEdits(text, prompt, changes, options);
  if (parsed.format === 'plain-text' && !parsed.file.toLowerCase().endsWith('.md')) return [];
  const block = parsed.frontMatter;
  const source = block ? text.slice(block.contentStart, block.contentEnd) : '';
  const document = parseDocument(source === '' ? '{}' : source);
  if (!isMap(document.contents)) return [];
  for (const change of changes) applyToDocument(document, parsed, prompt, change);
  const yaml = document.toString();
  if (!block) return [{ start: 0, end: 0, newText: `---\n${yaml}---\n` }];
  return [{ start: block.contentStart, end: block.contentEnd, newText: yaml }];
}

function applyToDocument(
  document: Document,
  parsed: ParsedPromptFile,
  prompt: PromptDefinition,
  change: PromptChange,
): void {
  switch (change.kind) {
    case 'set-model': {
      const path = modelPath(document, parsed);
      const written = document.getIn(path);
      const prefix =
        typeof written === 'string' && written.includes('/') ? written.slice(0, written.lastIndexOf('/') + 1) : '';
      document.setIn(path, prefix + change.model);
      return;
    }
    case 'set-max-tokens':
      document.setIn(prompt.maxTokensPath ?? maxTokensPath(document, parsed), change.value);
      return;
    case 'remove-parameter': {
      const parameter = prompt.parameters.find((candidate) => candidate.name === change.name);
      if (parameter && parameter.path.length > 0) document.deleteIn(parameter.path);
      return;
    }
    case 'set-parameter': {
      const parameter = prompt.parameters.find((candidate) => candidate.name === change.name);
      document.setIn(
        parameter && parameter.path.length > 0 ? parameter.path : parameterPath(document, parsed, change.name),
        change.value,
      );
      return;
    }
  }
}

/** Where the model is written, or where a new one goes (Prompty: `model.configuration.name`). */
function modelPath(document: Document, parsed: ParsedPromptFile): readonly string[] {
  if (parsed.format !== 'prompty') return ['model'];
  const written = PROMPTY_MODEL_PATHS.find((path) => typeof document.getIn(path) === 'string');
  return written ?? ['model', 'configuration', 'name'];
}

function maxTokensPath(document: Document, parsed: ParsedPromptFile): readonly string[] {
  if (parsed.format === 'prompty' && isPromptyV2(document)) return ['model', 'options', 'maxOutputTokens'];
  return MAX_TOKENS_PATHS[parsed.format] ?? ['max_tokens'];
}

/**
 * A new parameter goes beside the file's others: front matter top level, Prompty parameters/options, Dotprompt
 * config, GitHub Models `modelParameters` (camelCase).
 */
function parameterPath(document: Document, parsed: ParsedPromptFile, name: string): readonly string[] {
  switch (parsed.format) {
    case 'prompty':
      return isPromptyV2(document) ? ['model', 'options', camelCase(name)] : ['model', 'parameters', name];
    case 'dotprompt':
      return ['config', name];
    case 'github-models':
      return ['modelParameters', camelCase(name)];
    default:
      return [name];
  }
}

/** Prompty v2 writes settings under `model.options` (camelCase); v1 under `model.parameters`. */
function isPromptyV2(document: Document): boolean {
  return isMap(document.getIn(['model', 'options'], true)) && !isMap(document.getIn(['model', 'parameters'], true));
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

function batchLineEdits(
  text: string,
  prompt: PromptDefinition,
  changes: readonly PromptChange[],
  options: ChangeEditOptions,
): TextEditPlan[] {
  const lines = new LineIndex(text);
  const start = lines.offsetOfLine(prompt.span.start.line) + prompt.span.start.character;
  const end = lines.offsetOfLine(prompt.span.end.line) + prompt.span.end.character;
  let request: { body?: Record<string, unknown> };
  try {
    request = JSON.parse(text.slice(start, end)) as { body?: Record<string, unknown> };
  } catch {
    return [];
  }
  const body = request.body ?? {};
  for (const change of changes) {
    if (change.kind === 'set-model') body.model = change.model;
    else if (change.kind === 'set-max-tokens') {
      delete body.max_tokens;
      delete body.max_completion_tokens;
      body[options.reasoningModel ? 'max_completion_tokens' : 'max_tokens'] = change.value;
    } else if (change.kind === 'remove-parameter') delete body[change.name];
    else body[change.name] = change.value;
  }
  return [{ start, end, newText: JSON.stringify({ ...request, body }) }];
}
