/** A `{{file:path}}` placeholder in a prompt body. */
export interface FileInclude {
  /** The path as written (surrounding quotes and white space removed), relative to the prompt file. */
  readonly path: string;
  /** UTF-16 offset of the opening `{{`. */
  readonly start: number;
  /** UTF-16 offset just after the closing `}}`. */
  readonly end: number;
}

/** `{{file:path}}`, `{{ file: "path with spaces.md" }}`; the path cannot contain `}` or a line break. */
const FILE_INCLUDE = /\{\{\s*file\s*:\s*("[^"\n}]+"|'[^'\n}]+'|[^\s}][^}\n]*?)\s*\}\}/g;

/**
 * Finds the `{{file:path}}` placeholders that pull a document into a prompt, in order of appearance, so the
 * caller can read each file (paths are relative to the prompt file) and splice or chunk it. Pure: no file
 * access here.
 */
export function findFileIncludes(text: string): FileInclude[] {
  const includes: FileInclude[] = [];
  for (const match of text.matchAll(new RegExp(FILE_INCLUDE.source, 'g'))) {
    const start = match.index ?? 0;
    includes.push({ path: unquote(match[1] ?? ''), start, end: start + match[0].length });
  }
  return includes;
}

function unquote(path: string): string {
  const first = path[0];
  if ((first === '"' || first === "'") && path.endsWith(first) && path.length >= 2) return path.slice(1, -1).trim();
  return path;
}
