import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { LineIndex } from './lineIndex';
import type { FrontMatterBlock, PromptDiagnostic, TextSpan } from './promptTypes';

export interface FrontMatterResult {
  readonly block?: FrontMatterBlock;
  readonly document?: Document;
  /** Offset where the prompt body starts (0 without front matter). */
  readonly bodyStart: number;
  readonly diagnostics: PromptDiagnostic[];
}

/**
 * Parsed front matter by its text (the file up to the body), kept across edits by whoever owns the parse (the
 * estimator): typing in a prompt's body parses its YAML once per version of the front matter. Bounded.
 */
export type FrontMatterCache = Map<string, FrontMatterResult>;

const FRONT_MATTER_CACHE_LIMIT = 16;

const OPENING = /^\uFEFF?---[ \t]*\r?$/;
const CLOSING = /^(---|\.\.\.)[ \t]*\r?$/;

/**
 * Finds YAML front matter between `---` lines at the top of a file and parses it. Broken YAML or an
 * unclosed block gives a diagnostic at the right line and an empty `data`, never an exception.
 */
export function parseFrontMatter(text: string, lines: LineIndex, cache?: FrontMatterCache): FrontMatterResult {
  const firstLineEnd = text.indexOf('\n');
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  if (!OPENING.test(firstLine)) return { bodyStart: 0, diagnostics: [] };
  const contentStart = firstLineEnd < 0 ? text.length : firstLineEnd + 1;
  let lineStart = contentStart;
  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const end = lineEnd < 0 ? text.length : lineEnd;
    if (CLOSING.test(text.slice(lineStart, end))) {
      const bodyStart = lineEnd < 0 ? text.length : lineEnd + 1;
      if (!cache) return parseYaml(text, lines, contentStart, lineStart, bodyStart);
      // The same front matter text starts the file at the same offsets, so its spans and data are the same.
      const key = text.slice(0, bodyStart);
      let result = cache.get(key);
      if (!result) {
        result = parseYaml(text, lines, contentStart, lineStart, bodyStart);
        if (cache.size >= FRONT_MATTER_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(key, result);
      }
      return { ...result, diagnostics: [...result.diagnostics] };
    }
    lineStart = end + 1;
  }
  return {
    bodyStart: 0,
    diagnostics: [
      {
        span: lines.lineSpan(0),
        severity: 'error',
        code: 'front-matter-unclosed',
        message:
          'Front matter is not closed: add a line with `---` after the YAML settings. The whole file is estimated as the prompt until then.',
      },
    ],
  };
}

/** Parses the YAML between `contentStart` and `contentEnd` (front matter, or a whole `.prompt.yml`) with diagnostics. */
export function parseYaml(
  text: string,
  lines: LineIndex,
  contentStart: number,
  contentEnd: number,
  bodyStart: number,
): FrontMatterResult {
  const source = text.slice(contentStart, contentEnd);
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const diagnostics: PromptDiagnostic[] = [];
  for (const error of [...document.errors, ...document.warnings]) {
    const start = contentStart + (error.pos[0] ?? 0);
    const end = contentStart + Math.max(error.pos[1] ?? 0, (error.pos[0] ?? 0) + 1);
    diagnostics.push({
      span: lines.span(start, Math.min(end, contentEnd)),
      severity: document.errors.includes(error as never) ? 'error' : 'warning',
      code: 'front-matter-yaml',
      message: `Front matter YAML: ${firstSentence(error.message)} The estimate uses defaults for the settings until this is fixed.`,
    });
  }
  let data: Record<string, unknown> = {};
  if (document.errors.length === 0) {
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value && typeof value === 'object' && !Array.isArray(value)) data = value as Record<string, unknown>;
    else if (value !== null && value !== undefined) {
      diagnostics.push({
        span: lines.span(contentStart, contentEnd),
        severity: 'error',
        code: 'front-matter-shape',
        message: 'Front matter must be a YAML mapping of settings (key: value).',
      });
    }
  }
  return {
    block: { contentStart, contentEnd, bodyStart, data },
    document: document.errors.length === 0 ? document : undefined,
    bodyStart,
    diagnostics,
  };
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.endsWith('.') ? line : `${line}.`;
}

/** The file span of a scalar value at `path` in the front matter (for in-place edits and diagnostics). */
export function frontMatterValueSpan(
  document: Document | undefined,
  block: FrontMatterBlock | undefined,
  path: readonly string[],
  lines: LineIndex,
): TextSpan | undefined {
  const range = frontMatterValueRange(document, block, path);
  return range ? lines.span(range.start, range.end) : undefined;
}

/** File offsets of a scalar value at `path`, if it is written in the front matter. */
export function frontMatterValueRange(
  document: Document | undefined,
  block: FrontMatterBlock | undefined,
  path: readonly string[],
): { start: number; end: number } | undefined {
  if (!document || !block) return undefined;
  const node = document.getIn(path, true);
  if (!isScalar(node) || !node.range) return undefined;
  return { start: block.contentStart + node.range[0], end: block.contentStart + node.range[1] };
}

/** True when the front matter has a mapping at `path` (e.g. Prompty's `model.configuration`). */
export function hasMapping(document: Document | undefined, path: readonly string[]): boolean {
  return isMap(document?.getIn(path, true));
}

/**
 * The file span of the key at `path` (its name, on its line): where a diagnostic about that setting belongs,
 * also when its value is a mapping or a list (e.g. `response_format:`).
 */
export function frontMatterKeySpan(
  document: Document | undefined,
  block: FrontMatterBlock | undefined,
  path: readonly string[],
  lines: LineIndex,
): TextSpan | undefined {
  if (!document || !block || path.length === 0) return undefined;
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const key = path[path.length - 1];
  const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
  return lines.span(block.contentStart + pair.key.range[0], block.contentStart + pair.key.range[1]);
}
