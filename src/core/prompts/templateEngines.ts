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

/** Renders `source` with `values` through `engine`; Handlebars partials are given by name. Throws {@link TemplateError}. */
export function renderWithEngine(
  engine: TemplateEngine,
  source: string,
  values: Readonly<Record<string, unknown>>,
  partials: Readonly<Record<string, string>> = {},
  data: Readonly<Record<string, unknown>> = {},
): string {
  try {
    switch (engine) {
      case 'jinja2': {
        const nunjucks = require('nunjucks') as typeof Nunjucks;
        return new nunjucks.Environment(null, { autoescape: false }).renderString(source, values);
      }
      case 'mustache': {
        const mustache = require('mustache') as typeof Mustache;
        return mustache.render(source, values, partials);
      }
      case 'handlebars':
        return renderHandlebars(source, values, partials, data);
    }
  } catch (error) {
    throw toTemplateError(engine, source, error);
  }
}

interface DotpromptInternals {
  readonly handlebars: {
    compile(source: string, options: Record<string, unknown>): (context: unknown, options: Record<string, unknown>) => string;
  };
  readonly knownHelpers: Record<string, boolean>;
}

function renderHandlebars(
  source: string,
  values: Readonly<Record<string, unknown>>,
  partials: Readonly<Record<string, string>>,
  data: Readonly<Record<string, unknown>>,
): string {
  // Dotprompt's own `render` is async only because it may resolve partials and schemas through async resolvers;
  // the Handlebars part is synchronous. We take its configured instance (its helpers registered) and compile with
  // the options its `compile` uses, so the text is the library's; partials are given per render (Handlebars'
  // runtime `partials` option) so one folder's partials never leak into another's.
  const { Dotprompt } = require('dotprompt') as typeof import('dotprompt');
  const instance = new Dotprompt() as unknown as DotpromptInternals;
  const template = instance.handlebars.compile(source, { knownHelpers: instance.knownHelpers, knownHelpersOnly: true, noEscape: true });
  return template(values, { data: { metadata: data }, partials });
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
