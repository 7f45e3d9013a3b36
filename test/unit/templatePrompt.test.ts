import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Dotprompt } from 'dotprompt';
import Mustache from 'mustache';
import nunjucks from 'nunjucks';
import { createFileDocumentReader } from '../../src/core/chunking/fileDocumentReader';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import type { PromptContext } from '../../src/core/prompts/promptContext';
import { isDotpromptPartial, promptFormatFor } from '../../src/core/prompts/promptFileKind';
import type { PromptFormat } from '../../src/core/prompts/promptTypes';
import { compileTemplate, hoistStatic } from '../../src/core/prompts/templateEngines';
import { renderPromptMessages } from '../../src/core/prompts/templatePrompt';
import { repositoryRoot } from '../support/repository';
import { promptRequest } from '../../src/core/runs/promptRequest';

const FORMATS = path.join(repositoryRoot(), 'test', 'fixtures', 'prompts', 'formats');
const context: PromptContext = {
  readDocument: createFileDocumentReader(FORMATS),
  env: { PROMPT_METER_TEST_DEPLOYMENT: 'gpt-4o' },
};

function parseFixture(name: string, format: PromptFormat, given: PromptContext = context) {
  return parsePromptFile(name, readFileSync(path.join(FORMATS, name), 'utf8'), format, undefined, given);
}

function body(name: string): string {
  return readFileSync(path.join(FORMATS, name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
}

describe('Prompty rendered by its engines', () => {
  it('v2: model.id from ${env:…}, options.maxOutputTokens, inputs list, ${file:…} sample, for/if, # system: and user[name=…]:', () => {
    const parsed = parseFixture('release-digest.prompty', 'prompty');
    assert.deepEqual(parsed.diagnostics, []);
    const prompt = parsed.prompts[0]!;
    assert.equal(prompt.model, 'gpt-4o');
    assert.equal(prompt.maxTokens, 300);
    assert.deepEqual(prompt.maxTokensPath, ['model', 'options', 'maxOutputTokens']);
    assert.deepEqual(
      prompt.parameters.map((parameter) => [parameter.name, parameter.value]),
      [['temperature', 0.2]],
    );
    // The whole body rendered by nunjucks with the samples, then split at the role lines.
    const samples = {
      product: 'Lumen Notes',
      audience: 'customers',
      breaking: false,
      ...JSON.parse(readFileSync(path.join(FORMATS, 'release-digest.sample.json'), 'utf8')),
    };
    const expected = new nunjucks.Environment(null, { autoescape: false }).renderString(
      body('release-digest.prompty'),
      samples,
    );
    const [system, user] = expected
      .split(/^user\[name="Alice"\]:$/m)
      .map((part) => part.replace(/^# system:$/m, '').trim());
    assert.deepEqual(
      prompt.messages.map((message) => [message.role, message.name, message.content]),
      [
        ['system', undefined, system],
        ['user', 'Alice', user],
      ],
    );
    assert.match(prompt.messages[0]!.content, /Avoid jargon/);
    assert.doesNotMatch(prompt.messages[0]!.content, /precise technical/);
    assert.equal(prompt.messages[1]!.content.match(/^- /gm)?.length, 3);
    // Loop variables are not inputs: no "no sample value" for `change`, three insertions of `changes`.
    const changes = prompt.variables.find((variable) => variable.name === 'changes');
    assert.equal(changes?.occurrences, 3);
    const insertion = prompt.messages[1]!.insertions[0]!;
    assert.equal(
      prompt.messages[1]!.content.slice(insertion.offset, insertion.offset + insertion.length),
      'Offline mode for the mobile app',
    );
  });

  it('an unset ${env:…} model leaves the model to the default and says which variable', () => {
    const parsed = parseFixture('release-digest.prompty', 'prompty', { ...context, env: {} });
    assert.equal(parsed.prompts[0]!.model, undefined);
    const unset = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'env-unset');
    assert.ok(unset);
    assert.match(unset.message, /PROMPT_METER_TEST_DEPLOYMENT is not set/);
    assert.equal(unset.span.start.line, 4);
  });

  it('mustache per template.format: sections, inverted sections and HTML escaping as mustache.js renders them', () => {
    const parsed = parseFixture('greeting.prompty', 'prompty');
    assert.deepEqual(parsed.diagnostics, []);
    const sample = { name: 'Dana & Sam', topics: ['billing', 'exports'] };
    const expected = Mustache.render(body('greeting.prompty'), sample)
      .split(/^user:$/m)[1]!
      .trim();
    assert.equal(parsed.prompts[0]!.messages[1]!.content, expected);
    assert.match(expected, /Dana &amp; Sam/);
  });

  it('a template error is an error at its line, and the estimate still counts the text', () => {
    const text = [
      '---',
      'model: gpt-4o-mini',
      '---',
      'system:',
      'Hello',
      '{% for x in items %}',
      '{{ x }',
      '{% endfor %}',
    ].join('\n');
    const parsed = parsePromptFile('broken.prompty', text, 'prompty');
    const error = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'template-error');
    assert.ok(error);
    assert.equal(error.severity, 'error');
    assert.equal(error.span.start.line, 6);
    assert.match(parsed.prompts[0]!.messages[0]!.content, /Hello/);
  });

  it('a run renders dataset rows through the same engine: loops over row values, and equals the estimate without values', () => {
    const prompt = parseFixture('release-digest.prompty', 'prompty').prompts[0]!;
    assert.deepEqual(
      renderPromptMessages(prompt).map((message) => message.content),
      prompt.messages.map((message) => message.content),
    );
    const row = renderPromptMessages(prompt, {
      product: 'Atlas',
      changes: [{ title: 'One' }],
      breaking: true,
      audience: 'developers',
    });
    assert.match(row[0]!.content, /^You write release digests for Atlas\.\s+Use precise technical language\.$/);
    assert.match(row[1]!.content, /- One \(1 of 1\)\s+Call out the breaking changes first\.$/);
    const request = promptRequest(prompt, 'gpt-4o', { product: 'Atlas' });
    assert.ok('messages' in request);
    assert.deepEqual(request.messages[1], { role: 'user', content: prompt.messages[1]!.content, name: 'Alice' });
  });
});

describe('Dotprompt rendered by the dotprompt library', () => {
  it('partials from the folder, each, ifEquals, json, ~ whitespace control: the same messages as Dotprompt.render', async () => {
    const parsed = parseFixture('order-status.prompt', 'dotprompt');
    assert.deepEqual(parsed.diagnostics, []);
    const source = readFileSync(path.join(FORMATS, 'order-status.prompt'), 'utf8');
    const library = new Dotprompt({
      partialResolver: (name) => readFileSync(path.join(FORMATS, `_${name}.prompt`), 'utf8'),
    });
    const rendered = await library.render(source, {}, { input: { default: library.parse(source).input?.default } });
    const expected = rendered.messages.map((message) => [
      message.role === 'model' ? 'assistant' : message.role,
      message.content
        .map((part) => ('text' in part ? part.text : ''))
        .join('')
        .trim(),
    ]);
    assert.deepEqual(
      parsed.prompts[0]!.messages.map((message) => [message.role, message.content]),
      expected,
    );
    assert.match(parsed.prompts[0]!.messages[0]!.content, /friendly tone, in at most three sentences/);
    assert.match(parsed.prompts[0]!.messages[1]!.content, /Order A-1002: DELAYED/);
    // Insertions for the values the template only prints; `orders` is compared (ifEquals) inside the loop.
    assert.ok(parsed.prompts[0]!.messages[1]!.insertions.some((insertion) => insertion.name === 'customer'));
  });

  it('a missing partial is an error at its line; a partial file is never a prompt of its own', () => {
    const parsed = parsePromptFile(
      'x.prompt',
      '---\nmodel: openai/gpt-4o-mini\n---\nHi {{> nowhere}}\n',
      'dotprompt',
      undefined,
      context,
    );
    const missing = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'partial-missing');
    assert.equal(missing?.span.start.line, 3);
    assert.equal(promptFormatFor('prompts/_tone.prompt', []), undefined);
    assert.equal(promptFormatFor('prompts/order-status.prompt', []), 'dotprompt');
    assert.ok(isDotpromptPartial('a/b/_x.prompt'));
  });

  it('broken Handlebars is an error, not a warning', () => {
    const parsed = parsePromptFile(
      'y.prompt',
      '---\nmodel: openai/gpt-4o-mini\n---\nline\n{{#if a}}\nx\n{{/each}}\n',
      'dotprompt',
    );
    const error = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'template-error');
    assert.equal(error?.severity, 'error');
    assert.equal(error?.span.start.line, 4);
  });
});

describe('GitHub Models .prompt.yml', () => {
  it('model with its prefix, modelParameters, messages, responseFormat + jsonSchema, testData rows, evaluators', () => {
    const text = readFileSync(path.join(FORMATS, 'summarize.prompt.yml'), 'utf8');
    const parsed = parsePromptFile('summarize.prompt.yml', text, 'github-models');
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(promptFormatFor('a/summarize.prompt.yml', []), 'github-models');
    assert.equal(promptFormatFor('a/summarize.prompt.yaml', []), 'github-models');
    const prompt = parsed.prompts[0]!;
    assert.equal(prompt.model, 'gpt-4o-mini');
    assert.equal(text.slice(0, 200).split('\n')[2], 'model: openai/gpt-4o-mini');
    assert.deepEqual(prompt.modelSpan, { start: { line: 2, character: 7 }, end: { line: 2, character: 25 } });
    assert.equal(prompt.maxTokens, 120);
    assert.deepEqual(prompt.maxTokensPath, ['modelParameters', 'maxTokens']);
    assert.deepEqual(
      prompt.parameters.map((parameter) => parameter.name),
      ['temperature', 'response_format'],
    );
    assert.deepEqual((prompt.parameters[1]!.value as { json_schema: { name: string } }).json_schema.name, 'summary');
    assert.equal(prompt.dataRows?.length, 2);
    assert.deepEqual(
      prompt.evaluators?.map((evaluator) => [evaluator.name, evaluator.kind]),
      [
        ['Mentions the product area', 'string'],
        ['Similar to expected', 'uses'],
      ],
    );
    assert.deepEqual(
      prompt.messages.map((message) => message.role),
      ['system', 'user'],
    );
    assert.equal(
      prompt.messages[1]!.content,
      'Summarize this ticket:\nThe export to CSV button does nothing in Firefox.',
    );
    assert.deepEqual(parsed.frontMatter && [parsed.frontMatter.contentStart, parsed.frontMatter.contentEnd], [
      0,
      text.length,
    ]);
    const request = promptRequest(prompt, 'gpt-4o-mini', prompt.dataRows![1]);
    assert.ok('messages' in request);
    assert.match(request.messages[1]!.content, /charged twice/);
    assert.equal((request.response_format as { type: string }).type, 'json_schema');
  });
});

describe('compiled templates kept across edits', () => {
  const long = 'Static text that is long enough to be taken out of the compiled template. '.repeat(5);
  it('hoisting static text renders exactly what the engine renders from the original, and reuses the compiled template', () => {
    const jinja = `Intro\n{%- if flag %}\n  ${long}\n{%- endif %}\n${long}\n{% for x in xs %}\n{{ x }}\n{% endfor %}\n   ${long}   \nend`;
    const cache = new Map<string, unknown>();
    const values = { flag: true, xs: ['a', 'b'] };
    const expected = new nunjucks.Environment(null, { autoescape: false }).renderString(jinja, values);
    assert.equal(compileTemplate('jinja2', jinja, {}, {}, cache)(values), expected);
    assert.equal(
      compileTemplate('jinja2', jinja.replace('Intro', 'Intro edited'), {}, {}, cache)(values),
      expected.replace('Intro', 'Intro edited'),
    );
    assert.equal(
      compileTemplate('jinja2', jinja.replace(long, `${long} typed`), {}, {}, cache)(values),
      new nunjucks.Environment(null, { autoescape: false }).renderString(jinja.replace(long, `${long} typed`), values),
    );
    const handlebars = `{{#each xs}}\n${long}\n  {{this}}\n{{/each}}\n${long}  {{~flag~}}  \n{{#if flag}}\n${long}\n{{/if}}\n`;
    const library = new Dotprompt() as unknown as {
      handlebars: { compile(source: string, options: object): (context: object) => string };
      knownHelpers: object;
    };
    const direct = library.handlebars.compile(handlebars, {
      knownHelpers: library.knownHelpers,
      knownHelpersOnly: true,
      noEscape: true,
    })(values);
    assert.equal(compileTemplate('handlebars', handlebars, {}, {}, cache)(values), direct);
    assert.ok(hoistStatic('jinja2', jinja).skeleton.length < jinja.length / 2);
    const before = cache.size;
    compileTemplate('jinja2', jinja.replace(long, `${long} again`), {}, {}, cache);
    assert.equal(cache.size, before, 'an edit inside a static run compiles nothing new');
  });
});
