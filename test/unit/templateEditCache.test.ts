import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import nunjucks from 'nunjucks';
import { parseFrontMatter, type FrontMatterCache } from '../../src/core/prompts/frontMatter';
import { LineIndex } from '../../src/core/prompts/lineIndex';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import type { PromptContext } from '../../src/core/prompts/promptContext';
import { renderPromptTemplate, type PromptTemplate } from '../../src/core/prompts/promptTemplate';
import { PROMPTY_ROLE_LINE, roleLineFinder } from '../../src/core/prompts/roleSections';
import { expandStatics, hoistStatic } from '../../src/core/prompts/templateEngines';

const paragraph = 'Quarterly notes for the support team: backlog, churn and the new invoice layout were reviewed. ';
const long = paragraph.repeat(4);

function template(engine: PromptTemplate['engine'], source: string, defaults: Record<string, unknown>): PromptTemplate {
  return {
    engine,
    source,
    sourceStart: 0,
    roles: engine === 'handlebars' ? 'dotprompt' : 'prompty',
    partials: {},
    metadata: {},
    defaults,
  };
}

/** A deterministic sequence of edits inside the static text, new lines included. */
function* edits(source: string, at: number, count: number): Generator<string> {
  let text = source;
  let position = at;
  for (let edit = 0; edit < count; edit++) {
    const character = 'ab \n{'.charAt(edit % 5 === 4 ? 2 : edit % 4);
    text = text.slice(0, position) + character + text.slice(position);
    position += edit % 7 === 0 ? 3 : 1;
    yield text;
  }
}

describe('rendering while typing (kept skeleton renders)', () => {
  const values = {
    audience: 'customers',
    items: [
      { title: 'Login fails', urgent: true },
      { title: 'Slow export', urgent: false },
    ],
  };
  const jinja = `# system:\n{% if audience == "developers" %}Be technical.{% else %}Avoid jargon.{% endif %}\n${long}\nuser:\n{% for item in items %}\n- {{ item.title }}{% if item.urgent %} (urgent){% endif %}\n{% endfor %}\n${long}\n${long}\nend`;
  const handlebars = `{{role "system"}}\n${long}\n{{role "user"}}\n{{#each items}}\n- {{title}}{{#if urgent}} (urgent){{/if}}\n{{/each}}\n${long}  {{~audience~}}  \n${long}\n`;

  for (const [engine, source] of [
    ['jinja2', jinja],
    ['handlebars', handlebars],
  ] as const) {
    it(`${engine}: every edit inside static text gives the same messages and insertions as an uncached render`, () => {
      const cache = new Map<string, unknown>();
      renderPromptTemplate(template(engine, source, values), values, cache);
      const entries = cache.size;
      for (const edited of edits(source, source.indexOf(paragraph, source.length - long.length - 10) + 20, 40)) {
        const kept = renderPromptTemplate(template(engine, edited, values), values, cache);
        assert.deepEqual(kept, renderPromptTemplate(template(engine, edited, values), values));
      }
      assert.equal(
        cache.size,
        entries,
        'typing letters and new lines inside static text compiles and renders nothing new',
      );
    });
  }

  it('a new sample value renders again (the kept render is keyed by the values)', () => {
    const cache = new Map<string, unknown>();
    const first = renderPromptTemplate(template('jinja2', jinja, values), values, cache);
    const developers = { ...values, audience: 'developers' };
    const second = renderPromptTemplate(template('jinja2', jinja, developers), developers, cache);
    assert.match(first[0]!.content, /Avoid jargon/);
    assert.match(second[0]!.content, /Be technical/);
  });

  it('static text a Jinja2 filter block transforms is rendered exactly (no placeholders there)', () => {
    const source = `{% filter upper %}${long}{% endfilter %}\n{% set note %}${long}{% endset %}{{ note | length }}`;
    const cache = new Map<string, unknown>();
    const rendered = renderPromptTemplate(template('jinja2', source, {}), {}, cache);
    assert.equal(
      rendered[0]!.content,
      new nunjucks.Environment(null, { autoescape: false }).renderString(source, {}).trim(),
    );
  });

  it('a template error after static text that spans lines is reported at its line in the file', () => {
    const lines = `${paragraph}\n`.repeat(30);
    const source = `${lines}{% for item in items %}\n{{ item.title }\n{% endfor %}`;
    const text = `---\nmodel: gpt-4o-mini\n---\n${source}`;
    const parsed = parsePromptFile('broken.prompty', text, 'prompty', undefined, { templates: new Map() });
    const error = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'template-error');
    assert.ok(error, 'an error diagnostic');
    assert.equal(error.severity, 'error');
    assert.equal(error.span.start.line, 3 + 30 + 1, 'the line of `{{ item.title }` (zero-based)');
    const handlebars = parsePromptFile(
      'broken.prompt',
      `---\nmodel: openai/gpt-4o\n---\n${lines}{{#each items}}\n{{title}}\n{{/if}}\n`,
      'dotprompt',
      undefined,
      { templates: new Map() },
    );
    const handlebarsError = handlebars.diagnostics.find((diagnostic) => diagnostic.code === 'template-error');
    assert.ok(handlebarsError);
    assert.equal(handlebarsError.span.start.line, 3 + 30, 'the line of the {{#each}} that {{/if}} does not close');
  });

  it('placeholders expand to the static runs and move offsets past them', () => {
    const { skeleton, statics } = hoistStatic('jinja2', `{{ a }}${long}{{ b }}`);
    assert.ok(!skeleton.includes(paragraph));
    const texts = Object.values(statics);
    const expanded = expandStatics('A\uE0020\uE003B', texts, [0, 1, 4, 5]);
    assert.equal(expanded.text, `A${texts[0]}B`);
    assert.deepEqual(expanded.offsets, [0, 1, 1 + texts[0]!.length, 2 + texts[0]!.length]);
  });
});

describe('front matter kept across edits', () => {
  it('parses the YAML once per version of the front matter, with the same data and spans', () => {
    const cache: FrontMatterCache = new Map();
    const text = '---\nmodel: gpt-4o-mini\nbroken: [1, 2\n---\nbody';
    const first = parseFrontMatter(text, new LineIndex(text), cache);
    const typed = `${text} typed`;
    const second = parseFrontMatter(typed, new LineIndex(typed), cache);
    assert.equal(cache.size, 1);
    assert.deepEqual(second.diagnostics, first.diagnostics);
    assert.equal(second.bodyStart, first.bodyStart);
    second.diagnostics.pop();
    assert.equal(
      parseFrontMatter(text, new LineIndex(text), cache).diagnostics.length,
      first.diagnostics.length,
      'callers get their own diagnostics list',
    );
    const changed = text.replace('gpt-4o-mini', 'gpt-4.1');
    parseFrontMatter(changed, new LineIndex(changed), cache);
    assert.equal(cache.size, 2);
  });

  it('a Prompty parsed with the caches equals one parsed without them, edit after edit', () => {
    const context: PromptContext = { templates: new Map(), frontMatters: new Map() };
    const source = `---\nmodel:\n  id: gpt-4o-mini\ninputs:\n  audience:\n    default: customers\n  items:\n    sample: [{title: A}, {title: B}]\n---\nsystem:\nYou write for {{ audience }}.\n${long}\nuser:\n{% for item in items %}- {{ item.title }}\n{% endfor %}\n${long}`;
    for (const edited of edits(source, source.length - 30, 12)) {
      assert.deepEqual(
        parsePromptFile('typed.prompty', edited, 'prompty', undefined, context),
        parsePromptFile('typed.prompty', edited, 'prompty'),
      );
    }
  });
});

describe('Dotprompt sample values from input.schema', () => {
  it('JSON Schema defaults (nested objects too) are samples; input.default wins; Picoschema descriptions are not defaults', () => {
    const text = [
      '---',
      'model: openai/gpt-4o-mini',
      'input:',
      '  schema:',
      '    type: object',
      '    properties:',
      '      language: {type: string, default: Korean}',
      '      tone: {type: string, default: formal}',
      '      customer:',
      '        type: object',
      '        properties:',
      '          name: {type: string, default: Mina}',
      '  default:',
      '    tone: warm',
      '---',
      'Answer {{customer.name}} in {{language}}, in a {{tone}} tone.',
    ].join('\n');
    const prompt = parsePromptFile('schema.prompt', text, 'dotprompt').prompts[0]!;
    assert.equal(prompt.messages[0]!.content, 'Answer Mina in Korean, in a warm tone.');
    const pico =
      '---\nmodel: openai/gpt-4o-mini\ninput:\n  schema:\n    language?: string, default Korean\n---\nAnswer in {{language}}.';
    const parsed = parsePromptFile('pico.prompt', pico, 'dotprompt');
    assert.equal(parsed.prompts[0]!.messages[0]!.content, 'Answer in .');
    assert.ok(parsed.diagnostics.some((diagnostic) => diagnostic.code === 'variable-without-sample'));
  });
});

describe('finding role lines line by line', () => {
  it('finds exactly the matches the role pattern finds, also with \\r\\n, lone \\r and U+2028', () => {
    let state = 17;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const parts = [
      'user:',
      '# System:',
      'assistant[name="Bo"]:',
      'user :  ',
      'Examples:',
      'text',
      ' tool:',
      'x user:',
      '\n',
      '\n',
      '\r\n',
      '\r',
      '\u2028',
      '  ',
      'function:',
    ];
    for (let trial = 0; trial < 300; trial++) {
      let text = '';
      // Half the texts break lines only with \n and \r\n (the line-by-line path), half also otherwise (the fallback).
      const usable = trial % 2 === 0 ? parts.filter((part) => part !== '\r' && part !== '\u2028') : parts;
      for (let index = 0; index < 30; index++) text += usable[Math.floor(next() * usable.length)] ?? '';
      const expected = [...text.matchAll(new RegExp(PROMPTY_ROLE_LINE))].map((match) => [match.index, match[0]]);
      const found: Array<[number, string]> = [];
      const find = roleLineFinder(text, PROMPTY_ROLE_LINE);
      for (let match = find(0); match; match = find(match.index + match[0].length)) found.push([match.index, match[0]]);
      assert.deepEqual(found, expected, JSON.stringify(text));
    }
  });
});

describe('GitHub Actions expressions in a prompt', () => {
  it('${{ … }} is text sent as written, not a {{variable}} (no sample-value warning, no column a dataset must have)', () => {
    const text =
      '---\nmodel: gpt-4o\nmax_tokens: 200\nvariables:\n  product: Lumen\n---\nWrite a workflow step for {{product}}:\n```yaml\nwith:\n  version: ${{ github.event.inputs.version }}\n```\n';
    const parsed = parsePromptFile('workflow.prompt.md', text, 'prompt-markdown');
    assert.deepEqual(parsed.diagnostics, []);
    const prompt = parsed.prompts[0]!;
    assert.deepEqual(
      prompt.variables.map((variable) => variable.name),
      ['product'],
    );
    assert.match(prompt.messages[0]!.content, /version: \$\{\{ github\.event\.inputs\.version \}\}/);
    assert.match(prompt.messages[0]!.content, /for Lumen:/);
  });
});
