import type { TemplateEngine } from './templateEngines';

/** A name a template reads from its inputs, with the offset of its first use in the template source. */
export interface TemplateReference {
  readonly name: string;
  readonly offset: number;
}

/**
 * The top-level input names a template reads, so that those without a sample value can be reported. Names the
 * template binds itself are not inputs: Jinja2 `{% for x in … %}`, `{% set x %}`, macro arguments, `loop`;
 * Handlebars and Mustache names inside `{{#each}}` / `{{#with}}` / sections (they are looked up in the item first),
 * `this`, `@index`, block parameters. An approximation of the engines' scoping, used for warnings only: the render
 * itself is always the engine's.
 */
export function templateReferences(engine: TemplateEngine, source: string): TemplateReference[] {
  const found = new Map<string, number>();
  const bound = new Set<string>();
  const add = (name: string, offset: number) => {
    if (!found.has(name)) found.set(name, offset);
  };
  if (engine === 'jinja2') scanJinja(source, add, bound);
  else scanMustacheFamily(source, engine === 'handlebars', add, bound);
  return [...found].filter(([name]) => !bound.has(name)).map(([name, offset]) => ({ name, offset }));
}

type Add = (name: string, offset: number) => void;

const JINJA_TAG =
  /\{#[\s\S]*?#\}|\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}|\{\{-?([\s\S]*?)-?\}\}|\{%-?\s*(\w+)([\s\S]*?)-?%\}/g;
const JINJA_WORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'elif',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
  'loop',
  'range',
  'caller',
  'super',
  'self',
  'varargs',
  'kwargs',
  'namespace',
  'joiner',
  'cycler',
  'lipsum',
  'dict',
  'recursive',
]);

function scanJinja(source: string, add: Add, bound: Set<string>): void {
  for (const match of source.matchAll(JINJA_TAG)) {
    const at = match.index ?? 0;
    if (match[1] !== undefined) jinjaExpression(match[1], at + 2, add);
    const tag = match[2];
    const rest = match[3] ?? '';
    const restAt = at + match[0].indexOf(rest, 2);
    if (tag === 'for') {
      const loop = /^\s*([\w\s,]+?)\s+in\s+([\s\S]*)$/.exec(rest);
      if (loop) {
        for (const name of (loop[1] ?? '').split(',')) bound.add(name.trim());
        jinjaExpression(loop[2] ?? '', restAt + rest.indexOf(loop[2] ?? ''), add);
      }
    } else if (tag === 'set') {
      const assignment = /^\s*([\w\s,]+?)\s*(?:=([\s\S]*))?$/.exec(rest);
      for (const name of (assignment?.[1] ?? '').split(',')) bound.add(name.trim());
      if (assignment?.[2]) jinjaExpression(assignment[2], restAt + rest.indexOf(assignment[2]), add);
    } else if (tag === 'macro') {
      for (const name of rest.match(/[A-Za-z_]\w*(?=\s*(?:[,)=(]))/g) ?? []) bound.add(name);
    } else if (tag === 'if' || tag === 'elif' || tag === 'with') jinjaExpression(rest, restAt, add);
  }
}

function jinjaExpression(expression: string, offset: number, add: Add): void {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (text) => ' '.repeat(text.length));
  for (const match of withoutStrings.matchAll(/[A-Za-z_]\w*/g)) {
    const index = match.index ?? 0;
    const before = withoutStrings.slice(0, index).trimEnd();
    const after = withoutStrings.slice(index + match[0].length).trimStart();
    if (
      JINJA_WORDS.has(match[0]) ||
      /[.|]$/.test(before) ||
      /\bis(?:\s+not)?$/.test(before) ||
      /^\(/.test(after) ||
      /^=(?!=)/.test(after)
    )
      continue;
    if (/\d$/.test(before)) continue;
    add(match[0], offset + index);
  }
}

const MUSTACHE_TAG = /\{\{(\{?)~?\s*([#/^>!&=]?)\s*([\s\S]*?)\s*~?\}?\}\}/g;
const HANDLEBARS_HELPERS = new Set([
  'role',
  'history',
  'media',
  'json',
  'ifEquals',
  'unlessEquals',
  'section',
  'each',
  'if',
  'unless',
  'with',
  'lookup',
  'log',
  'else',
]);
const SCOPING_BLOCKS = new Set(['each', 'with']);

function scanMustacheFamily(source: string, handlebars: boolean, add: Add, bound: Set<string>): void {
  // Each open block: true when names inside it are looked up in an item or section first.
  const blocks: boolean[] = [];
  const scoped = () => blocks.includes(true);
  for (const match of source.matchAll(MUSTACHE_TAG)) {
    const at = (match.index ?? 0) + match[0].indexOf(match[3] ?? '', 2);
    const sigil = match[2] ?? '';
    const body = (match[3] ?? '').replace(/\}$/, '');
    if (sigil === '!' || sigil === '>' || sigil === '=') continue;
    if (sigil === '/') {
      blocks.pop();
      continue;
    }
    const words = body
      .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
      .split(/\s+/)
      .filter(Boolean);
    const head = words[0] ?? '';
    if (!handlebars) {
      if (!scoped()) reference(head, at, add);
      if (sigil === '#' || sigil === '^') blocks.push(true);
      continue;
    }
    const blockParams = /\bas\s+\|([^|]*)\|/.exec(body);
    for (const name of blockParams?.[1]?.split(/\s+/) ?? []) if (name) bound.add(name);
    const parameters = HANDLEBARS_HELPERS.has(head) ? words.slice(1) : words.slice(0, 1);
    if (!scoped()) {
      for (const word of parameters) {
        if (word === 'as' || word.startsWith('|')) break;
        reference(
          word.includes('=') ? word.slice(word.indexOf('=') + 1) : word,
          at + Math.max(0, body.indexOf(word)),
          add,
        );
      }
    }
    if (sigil === '#' || sigil === '^') blocks.push(SCOPING_BLOCKS.has(head));
  }
}

function reference(path: string, offset: number, add: Add): void {
  if (!/^[A-Za-z_]/.test(path) || path === 'this' || path === 'else' || path === 'true' || path === 'false') return;
  const name = /^[A-Za-z_][\w-]*/.exec(path)?.[0];
  if (name) add(name, offset);
}
