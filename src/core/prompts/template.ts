import type { VariableInsertion } from './promptTypes';

export interface RenderedText {
  readonly content: string;
  readonly insertions: readonly VariableInsertion[];
  /** Variables used in the text without a sample value (rendered as empty). */
  readonly missing: readonly string[];
}

/** `{{name}}`, but not a GitHub Actions expression `${{ github.x }}` (text a prompt may ask for, sent as written). */
const VARIABLE = /(?<!\$)\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
/** Template syntax we do not evaluate and that is never sent as text: Handlebars blocks/comments/partials, Jinja tags. */
const CONTROL_SOURCE = String.raw`\{\{~?\s*[#/!>^][\s\S]*?~?\}\}|\{\{~?\s*else\s*~?\}\}|\{\{\s*(?:history|media\b[^}]*|section\b[^}]*)\s*\}\}|\{%-?[\s\S]*?-?%\}|\{#[\s\S]*?#\}`;
const CONTROL = new RegExp(CONTROL_SOURCE, 'g');
/** A control tag alone on its line disappears with its line, as Handlebars' "standalone" rule does. */
const STANDALONE_CONTROL = new RegExp(String.raw`^[ \t]*(?:${CONTROL_SOURCE})[ \t]*(?:\r?\n|$)`, 'gm');

/**
 * Fills `{{name}}` (and dotted `{{user.name}}`) placeholders from sample values and records where each
 * value landed, so estimates can say which tokens come from which variable.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, unknown>>): RenderedText {
  const source = stripControl(template);
  const insertions: VariableInsertion[] = [];
  const missing = new Set<string>();
  let content = '';
  let last = 0;
  for (const match of source.matchAll(VARIABLE)) {
    const name = match[1] ?? '';
    const index = match.index ?? 0;
    content += source.slice(last, index);
    const value = lookUp(values, name);
    if (value === undefined) missing.add(name);
    const text = value === undefined ? '' : stringify(value);
    insertions.push({ name, offset: content.length, length: text.length });
    content += text;
    last = index + match[0].length;
  }
  content += source.slice(last);
  // Removed control tags can leave white space at the ends; the message is sent trimmed.
  const leading = content.length - content.trimStart().length;
  const trimmed = content.trim();
  const shifted = insertions.map((insertion) => {
    const offset = Math.max(0, insertion.offset - leading);
    return {
      ...insertion,
      offset: Math.min(offset, trimmed.length),
      length: Math.max(0, Math.min(insertion.length, trimmed.length - offset)),
    };
  });
  return { content: trimmed, insertions: shifted, missing: [...missing] };
}

/** Names of all placeholders in a template, in order of first use. */
export function placeholderNames(template: string): string[] {
  const names = new Set<string>();
  for (const match of stripControl(template).matchAll(VARIABLE)) names.add(match[1] ?? '');
  return [...names];
}

function stripControl(template: string): string {
  return template.replace(STANDALONE_CONTROL, '').replace(CONTROL, '');
}

function lookUp(values: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(values, name)) return values[name];
  let current: unknown = values;
  for (const part of name.split('.')) {
    if (!current || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, part))
      return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Sample values as they would be sent: strings as is, other values as JSON. */
export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
