import { isMap, parseDocument } from 'yaml';
import { LineIndex } from './lineIndex';
import { promptChangeEdits } from './promptChangeEdits';
import type { ParsedPromptFile, PromptDefinition, TextSpan } from './promptTypes';

/** A replacement of file offsets [start, end) by `newText`; adapters turn it into an editor edit. */
export interface TextEditPlan {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/**
 * Writes `model` into the file: in place where it is written, else into (new) front matter. `.txt` files
 * cannot hold it. In batch files every line changes, or only the line of `onlyPromptId`.
 */
export function setModelEdits(
  parsed: ParsedPromptFile,
  text: string,
  model: string,
  onlyPromptId?: string,
): TextEditPlan[] {
  const lines = new LineIndex(text);
  if (parsed.format === 'batch-jsonl') {
    return parsed.prompts.flatMap((prompt) => {
      if (!prompt.modelSpan || (onlyPromptId !== undefined && prompt.id !== onlyPromptId)) return [];
      const { start, end } = offsets(prompt.modelSpan, lines);
      return [{ start, end, newText: JSON.stringify(model).slice(1, -1) }];
    });
  }
  const prompt = parsed.prompts[0];
  if (!prompt || isPlainTextFile(parsed)) return [];
  if (prompt.modelSpan) {
    const { start, end } = offsets(prompt.modelSpan, lines);
    const written = text.slice(start, end).replace(/^["']|["']$/g, '');
    const prefix = written.includes('/') ? written.slice(0, written.lastIndexOf('/') + 1) : '';
    return [{ start, end, newText: yamlScalar(prefix + model) }];
  }
  const path = parsed.format === 'prompty' ? ['model', 'configuration', 'name'] : ['model'];
  return [setFrontMatterValue(parsed, text, path, model)];
}

/** Adds or replaces the output cap where the format keeps it (max_completion_tokens for reasoning models in batch lines). */
export function setMaxTokensEdits(
  parsed: ParsedPromptFile,
  text: string,
  prompt: PromptDefinition,
  value: number,
  reasoningModel = false,
): TextEditPlan[] {
  return promptChangeEdits(parsed, text, prompt, [{ kind: 'set-max-tokens', value }], { reasoningModel });
}

function isPlainTextFile(parsed: ParsedPromptFile): boolean {
  return parsed.format === 'plain-text' && !parsed.file.toLowerCase().endsWith('.md');
}

/**
 * Sets a front matter value. A new top-level key is added as one line (the rest of the file untouched);
 * nested keys go through the YAML document so existing structure and comments are kept.
 */
function setFrontMatterValue(
  parsed: ParsedPromptFile,
  text: string,
  path: readonly string[],
  value: string | number,
): TextEditPlan {
  const block = parsed.frontMatter;
  if (!block) {
    const document = parseDocument('{}');
    document.setIn(path, value);
    const yaml = isMap(document.contents) ? blockStyle(path, value) : '';
    return { start: 0, end: 0, newText: `---\n${yaml}---\n` };
  }
  const source = text.slice(block.contentStart, block.contentEnd);
  const document = parseDocument(source);
  const existing = document.getIn(path, true);
  if (path.length === 1 && existing === undefined) {
    const newline = source === '' || source.endsWith('\n') ? '' : '\n';
    return {
      start: block.contentEnd,
      end: block.contentEnd,
      newText: `${newline}${path[0]}: ${typeof value === 'number' ? value : yamlScalar(value)}\n`,
    };
  }
  document.setIn(path, value);
  return { start: block.contentStart, end: block.contentEnd, newText: document.toString() };
}

function blockStyle(path: readonly string[], value: string | number): string {
  let yaml = '';
  path.forEach((key, depth) => {
    const indent = '  '.repeat(depth);
    yaml +=
      depth === path.length - 1
        ? `${indent}${key}: ${typeof value === 'number' ? value : yamlScalar(value)}\n`
        : `${indent}${key}:\n`;
  });
  return yaml;
}

function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][\w.\-/:@]*$/.test(value) ? value : JSON.stringify(value);
}

function offsets(span: TextSpan, lines: LineIndex): { start: number; end: number } {
  return {
    start: lines.offsetOfLine(span.start.line) + span.start.character,
    end: lines.offsetOfLine(span.end.line) + span.end.character,
  };
}

/** Applies edit plans to a text (used by the CLI and tests; editors apply them natively). */
export function applyEdits(text: string, edits: readonly TextEditPlan[]): string {
  let result = text;
  for (const edit of [...edits].sort((left, right) => right.start - left.start)) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}
