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
  const { skeleton, statics } = hoistStatic(engine, source);
  const key = `${engine}\u0000${skeleton}`;
  let compiled = cache?.get(key) as CompiledEngineTemplate | undefined;
  try {
    if (!compiled) {
      compiled = compileEngine(engine, skeleton);
      remember(cache, key, compiled);
    }
  } catch (error) {
    throw toTemplateError(engine, source, error);
  }
  const template = compiled;
  // Handlebars compiles a partial given as text on every render; compiled once (and cached) they are reused.
  const usedPartials = engine === 'handlebars' ? compiledPartials(partials, cache) : partials;
  return (values) => {
    try {
      return template({ ...values, ...statics }, usedPartials as Readonly<Record<string, string>>, metadata);
    } catch (error) {
      throw toTemplateError(engine, source, error);
    }
  };
}

type CompiledEngineTemplate = (values: Record<string, unknown>, partials: Readonly<Record<string, string>>, metadata: Readonly<Record<string, unknown>>) => string;

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
    compile(source: string, options: Record<string, unknown>): (context: unknown, options: Record<string, unknown>) => string;
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

function remember(cache: TemplateCache | undefined, key: string, value: unknown): void {
  if (!cache) return;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

function compiledPartials(partials: Readonly<Record<string, string>>, cache: TemplateCache | undefined): Record<string, unknown> {
  const compiled: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(partials)) {
    const key = `handlebars-partial\u0000${source}`;
    let partial = cache?.get(key);
    if (!partial) {
      const { Dotprompt } = require('dotprompt') as typeof import('dotprompt');
      const instance = new Dotprompt() as unknown as DotpromptInternals;
      partial = instance.handlebars.compile(source, { knownHelpers: instance.knownHelpers, knownHelpersOnly: true, noEscape: true });
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
 * the same neighbours) and its line breaks in a comment (error lines stay right). Not done where text is not plain
 * output: Jinja2 `raw`/`verbatim` blocks, Handlebars `\{{` escapes, and Mustache.
 */
export function hoistStatic(engine: TemplateEngine, source: string): { skeleton: string; statics: Record<string, string> } {
  const statics: Record<string, string> = {};
  if (engine === 'mustache' || (engine === 'jinja2' && /\{%-?\s*(?:raw|verbatim)\b/.test(source)) || (engine === 'handlebars' && source.includes('\\{{'))) {
    return { skeleton: source, statics };
  }
  const tags = engine === 'jinja2' ? /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g : /\{\{!--[\s\S]*?--\}\}|\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;
  let skeleton = '';
  let last = 0;
  const hoist = (run: string) => {
    const leading = /^\s*/.exec(run)?.[0] ?? '';
    const inner = run.slice(leading.length).trimEnd();
    if (inner.length < STATIC_MINIMUM) return run;
    const trailing = run.slice(leading.length + inner.length);
    const name = `${STATIC_PREFIX}${Object.keys(statics).length}`;
    statics[name] = inner;
    const breaks = '\n'.repeat(inner.split('\n').length - 1);
    const reference = engine === 'jinja2' ? `{{ ${name} }}${breaks ? `{#${breaks}#}` : ''}` : `{{{@root.${name}}}}${breaks ? `{{!--${breaks}--}}` : ''}`;
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
