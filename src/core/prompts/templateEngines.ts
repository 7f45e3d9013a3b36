/* eslint-disable @typescript-eslint/no-require-imports -- the engines are required on first use, so activation and
   files of other formats never evaluate them; esbuild bundles each as a lazily initialised module. */
import type * as Nunjucks from 'nunjucks';
import type * as Mustache from 'mustache';

/**
 * The template engines prompt formats are written for:
 * - `jinja2`: Prompty's default, rendered with nunjucks as Prompty's TypeScript runtime does
 *   (microsoft/prompty runtime/promptyjs/src/renderers.ts: `nunjucks.renderString(content, inputs)`), but with
 *   autoescape off, Jinja2's default (a prompt is not HTML; Prompty's Python runtime sends `&` as `&`).
 * - `mustache`: Prompty `template.format: mustache`, rendered with mustache.js (`Mustache.render`), which escapes
 *   HTML in `{{x}}` as the Mustache specification says (`{{{x}}}` and `{{&x}}` do not).
 * - `handlebars`: Dotprompt, rendered with the Handlebars instance of Google's `dotprompt` library with its helpers
 *   (`role`, `history`, `media`, `json`, `ifEquals`, `unlessEquals`, `section`) and the options its `compile` uses
 *   (`knownHelpersOnly`, `noEscape`).
 */
export type TemplateEngine = 'jinja2' | 'mustache' | 'handlebars';

/** A template that does not compile or render; `line` is zero-based in the template source, when the engine says. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/** Renders a compiled template with values; throws {@link TemplateError}. */
export type TemplateRenderer = (values: Readonly<Record<string, unknown>>) => string;

/** Compiled templates by engine and skeleton, shared across edits of a file (bounded; owned by the estimator). */
export type TemplateCache = Map<string, unknown>;

const CACHE_LIMIT = 32;

/**
 * Compiles `source` for `engine` once, for several renders (the estimate renders twice to place insertions).
 * Long static runs of a Jinja2 or Handlebars template are taken out of the compiled text and given as values
 * (`hoistStatic`), so typing in a 100 KB prompt's static text reuses the compiled template from `cache` instead of
 * recompiling; the text rendered is the same. Handlebars partials are given by name. Throws {@link TemplateError}.
 */
export function compileTemplate(
  engine: TemplateEngine,
  source: string,
  partials: Readonly<Record<string, string>> = {},
  metadata: Readonly<Record<string, unknown>> = {},
  cache?: TemplateCache,
): TemplateRenderer {
  return compileTemplateParts(engine, source, partials, metadata, cache).render;
}

/** A compiled template, with the short render its hoisted static runs leave (see {@link compileTemplateParts}). */
export interface CompiledTemplate {
  /** The text the engine renders from the original source. Throws {@link TemplateError}. */
  readonly render: TemplateRenderer;
  /**
   * The render with each hoisted static run left as a placeholder that {@link expandStatics} replaces: it depends
   * only on the skeleton and the values, so it can be kept while the user types inside static text. Undefined
   * where the template could transform static text (Jinja2 `filter`, block `set`, `call`, `macro`, `block`) or the
   * text already holds placeholder characters; then only `render` is exact.
   */
  readonly renderSkeleton?: TemplateRenderer;
  /** The hoisted static runs, by placeholder index. */
  readonly statics: readonly string[];
  /** Names the compiled skeleton (engine and skeleton text), for keeping its renders. */
  readonly key: string;
}

/**
 * {@link compileTemplate} with its parts. The skeleton has no line breaks of the static runs, so typing a new line
 * inside one compiles nothing either; a template error is therefore taken from the original source (compiled
 * once, uncached, only when something fails), so its line is the line in the file.
 */
export function compileTemplateParts(
  engine: TemplateEngine,
  source: string,
  partials: Readonly<Record<string, string>> = {},
  metadata: Readonly<Record<string, unknown>> = {},
  cache?: TemplateCache,
): CompiledTemplate {
  const { skeleton, statics } = hoistStatic(engine, source);
  const key = `${engine}\u0000${skeleton}`;
  // Handlebars compiles a partial given as text on every render; compiled once (and cached) they are reused.
  const usedPartials = (engine === 'handlebars' ? compiledPartials(partials, cache) : partials) as Readonly<
    Record<string, string>
  >;
  let compiled = cache?.get(key) as CompiledEngineTemplate | undefined;
  try {
    if (!compiled) {
      compiled = compileEngine(engine, skeleton);
      remember(cache, key, compiled);
    }
  } catch (error) {
    throw sourceError(engine, source, usedPartials, metadata, undefined, error);
  }
  const template = compiled;
  const names = Object.keys(statics);
  const texts = Object.values(statics);
  const run = (values: Readonly<Record<string, unknown>>, staticValues: Readonly<Record<string, string>>) => {
    try {
      return template({ ...values, ...staticValues }, usedPartials, metadata);
    } catch (error) {
      throw sourceError(engine, source, usedPartials, metadata, values, error);
    }
  };
  const placeholderValues = Object.fromEntries(names.map((name, index) => [name, placeholder(index)]));
  const canPlaceholder =
    names.length > 0 &&
    !source.includes(PLACEHOLDER_OPEN) &&
    !(engine === 'jinja2' && TRANSFORMING_JINJA.test(skeleton));
  return {
    render: (values) => run(values, statics),
    ...(canPlaceholder
      ? { renderSkeleton: (values: Readonly<Record<string, unknown>>) => run(values, placeholderValues) }
      : {}),
    statics: texts,
    key,
  };
}

/** Jinja2 tags whose body may be captured or transformed rather than output as written. */
const TRANSFORMING_JINJA =
  /\{%-?\s*(?:filter|call|macro|block|extends|import|from|include)\b|\{%-?\s*set\s+[\w\s,]+-?%\}/;
const PLACEHOLDER_OPEN = '\uE002';
const PLACEHOLDER_CLOSE = '\uE003';
const PLACEHOLDER = /\uE002(\d+)\uE003/g;

function placeholder(index: number): string {
  return `${PLACEHOLDER_OPEN}${index}${PLACEHOLDER_CLOSE}`;
}

/** True when values could hold placeholder characters (then a skeleton render cannot be expanded safely). */
export function holdsPlaceholder(text: string): boolean {
  return text.includes(PLACEHOLDER_OPEN);
}

/**
 * Replaces the placeholders of a skeleton render by the static runs, moving `offsets` (ascending positions in the
 * skeleton render, e.g. where values were inserted) to the same places in the expanded text.
 */
export function expandStatics(
  text: string,
  statics: readonly string[],
  offsets: readonly number[] = [],
): { text: string; offsets: number[] } {
  let expanded = '';
  let last = 0;
  let shift = 0;
  let next = 0;
  const moved: number[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const at = match.index ?? 0;
    while (next < offsets.length && (offsets[next] ?? 0) <= at) moved.push((offsets[next++] ?? 0) + shift);
    const value = statics[Number(match[1])] ?? '';
    expanded += text.slice(last, at) + value;
    last = at + match[0].length;
    shift += value.length - match[0].length;
  }
  while (next < offsets.length) moved.push((offsets[next++] ?? 0) + shift);
  return { text: expanded + text.slice(last), offsets: moved };
}

/**
 * The error the original source gives (its lines are the file's): the skeleton's lines differ, so a failure there
 * is compiled and rendered again from the source; if that succeeds the skeleton's message is kept without a line.
 */
function sourceError(
  engine: TemplateEngine,
  source: string,
  partials: Readonly<Record<string, string>>,
  metadata: Readonly<Record<string, unknown>>,
  values: Readonly<Record<string, unknown>> | undefined,
  skeletonError: unknown,
): TemplateError {
  try {
    const template = compileEngine(engine, source);
    if (values) template({ ...values }, partials, metadata);
  } catch (error) {
    return toTemplateError(engine, source, error);
  }
  return new TemplateError(toTemplateError(engine, source, skeletonError).message, undefined);
}

type CompiledEngineTemplate = (
  values: Record<string, unknown>,
  partials: Readonly<Record<string, string>>,
  metadata: Readonly<Record<string, unknown>>,
) => string;

function compileEngine(engine: TemplateEngine, source: string): CompiledEngineTemplate {
  switch (engine) {
    case 'jinja2': {
      const nunjucks = require('nunjucks') as typeof Nunjucks;
      // Compiled on first render (nunjucks and Handlebars are lazy), so syntax errors surface from the renderer.
      const template = nunjucks.compile(source, new nunjucks.Environment(null, { autoescape: false }));
      return (values) => template.render(values);
    }
    case 'mustache': {
      const mustache = require('mustache') as typeof Mustache;
      mustache.parse(source);
      return (values, partials) => mustache.render(source, values, partials);
    }
    case 'handlebars':
      return compileHandlebars(source);
  }
}

interface DotpromptInternals {
  readonly handlebars: {
    compile(
      source: string,
      options: Record<string, unknown>,
    ): (context: unknown, options: Record<string, unknown>) => string;
  };
  readonly knownHelpers: Record<string, boolean>;
}

function compileHandlebars(source: string): CompiledEngineTemplate {
  // Dotprompt's own `render` is async only because it may resolve partials and schemas through async resolvers;
  // the Handlebars part is synchronous. We take its configured instance (its helpers registered) and compile with
  // the options its `compile` uses, so the text is the library's; partials are given per render (Handlebars'
  // runtime `partials` option) so one folder's partials never leak into another's.
  const { Dotprompt } = require('dotprompt') as typeof import('dotprompt');
  const instance = new Dotprompt() as unknown as DotpromptInternals;
  const options = { knownHelpers: instance.knownHelpers, knownHelpersOnly: true, noEscape: true };
  const template = instance.handlebars.compile(source, options);
  return (values, partials, metadata) => template(values, { data: { metadata }, partials });
}

export function remember(cache: TemplateCache | undefined, key: string, value: unknown): void {
  if (!cache) return;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

function compiledPartials(
  partials: Readonly<Record<string, string>>,
  cache: TemplateCache | undefined,
): Record<string, unknown> {
  const compiled: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(partials)) {
    const key = `handlebars-partial\u0000${source}`;
    let partial = cache?.get(key);
    if (!partial) {
      const { Dotprompt } = require('dotprompt') as typeof import('dotprompt');
      const instance = new Dotprompt() as unknown as DotpromptInternals;
      partial = instance.handlebars.compile(source, {
        knownHelpers: instance.knownHelpers,
        knownHelpersOnly: true,
        noEscape: true,
      });
      remember(cache, key, partial);
    }
    compiled[name] = partial;
  }
  return compiled;
}

const STATIC_MINIMUM = 200;
const STATIC_PREFIX = '__promptmeter_static_';

/**
 * Replaces each static run of at least 200 characters (text between template tags) by a reference to a value
 * holding it, keeping its leading and trailing white space (whitespace control and Handlebars' standalone lines see
 * the same neighbours); its line breaks are not kept, so a new line typed inside it leaves the skeleton as it was
 * (errors are located in the original source, see {@link compileTemplateParts}). Not done where text is not plain
 * output: Jinja2 `raw`/`verbatim` blocks, Handlebars `\{{` escapes, and Mustache.
 */
export function hoistStatic(
  engine: TemplateEngine,
  source: string,
): { skeleton: string; statics: Record<string, string> } {
  const statics: Record<string, string> = {};
  if (
    engine === 'mustache' ||
    (engine === 'jinja2' && /\{%-?\s*(?:raw|verbatim)\b/.test(source)) ||
    (engine === 'handlebars' && source.includes('\\{{'))
  ) {
    return { skeleton: source, statics };
  }
  const tags =
    engine === 'jinja2'
      ? /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g
      : /\{\{!--[\s\S]*?--\}\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;
  let skeleton = '';
  let last = 0;
  const hoist = (run: string) => {
    const leading = /^\s*/.exec(run)?.[0] ?? '';
    const inner = run.slice(leading.length).trimEnd();
    if (inner.length < STATIC_MINIMUM) return run;
    const trailing = run.slice(leading.length + inner.length);
    const name = `${STATIC_PREFIX}${Object.keys(statics).length}`;
    statics[name] = inner;
    const reference = engine === 'jinja2' ? `{{ ${name} }}` : `{{{@root.${name}}}}`;
    return `${leading}${reference}${trailing}`;
  };
  for (const match of source.matchAll(tags)) {
    skeleton += hoist(source.slice(last, match.index)) + match[0];
    last = (match.index ?? 0) + match[0].length;
  }
  skeleton += hoist(source.slice(last));
  return { skeleton, statics };
}

function toTemplateError(engine: TemplateEngine, source: string, error: unknown): TemplateError {
  const message = error instanceof Error ? error.message : String(error);
  if (engine === 'jinja2') {
    // nunjucks: "(unknown path) [Line 3, Column 6]\n  expected variable end" (1-based).
    const match = /\[Line (\d+), Column \d+\]\s*([\s\S]*)/.exec(message);
    return new TemplateError(match ? (match[2] ?? '').trim() : message, match ? Number(match[1]) - 1 : undefined);
  }
  if (engine === 'mustache') {
    // mustache.js: 'Unclosed section "a" at 11' (an offset in the source).
    const match = / at (\d+)$/.exec(message);
    const line = match ? source.slice(0, Number(match[1])).split('\n').length - 1 : undefined;
    return new TemplateError(message, line);
  }
  // Handlebars: "Parse error on line 3:\n…" or "if doesn't match each - 3:2" (1-based lines).
  const parse = /^Parse error on line (\d+):/.exec(message);
  if (parse) return new TemplateError(message.replace(/\n/g, ' ').replace(/\s+/g, ' '), Number(parse[1]) - 1);
  const suffix = / - (\d+):\d+$/.exec(message);
  return new TemplateError(message, suffix ? Number(suffix[1]) - 1 : undefined);
}
