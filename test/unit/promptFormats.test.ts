import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { isUnderPromptFolder, promptFormatFor } from '../../src/core/prompts/promptFileKind';

describe('.prompt.md', () => {
  it('reads front matter settings, role sections and fills variables from samples', () => {
    const text = [
      '---',
      'model: gpt-4o',
      'max_tokens: 256',
      'temperature: 0.2',
      'task: qa',
      'variables:',
      '  question: How do I reset my password?',
      '---',
      'system:',
      'You answer support questions.',
      '',
      'user:',
      'Question: {{question}}',
      '',
    ].join('\n');
    const parsed = parsePromptFile('faq.prompt.md', text, 'prompt-markdown');
    assert.deepEqual(parsed.diagnostics, []);
    const prompt = parsed.prompts[0]!;
    assert.equal(prompt.model, 'gpt-4o');
    assert.equal(prompt.maxTokens, 256);
    assert.deepEqual(
      prompt.parameters.map((parameter) => [parameter.name, parameter.value]),
      [['temperature', 0.2]],
    );
    assert.equal(prompt.declaredTask, 'qa');
    assert.deepEqual(
      prompt.messages.map((message) => [message.role, message.content]),
      [
        ['system', 'You answer support questions.'],
        ['user', 'Question: How do I reset my password?'],
      ],
    );
    assert.deepEqual(prompt.variables, [{ name: 'question', value: 'How do I reset my password?', occurrences: 1 }]);
    assert.deepEqual(prompt.modelSpan, { start: { line: 1, character: 7 }, end: { line: 1, character: 13 } });
    assert.equal(prompt.span.start.line, 0);
  });

  it('without role markers the whole body is one user message', () => {
    const parsed = parsePromptFile('a.prompt.md', '---\nmodel: gpt-4o-mini\n---\nSummarize this.\n', 'prompt-markdown');
    assert.deepEqual(
      parsed.prompts[0]!.messages.map((message) => message.role),
      ['user'],
    );
  });

  it('broken YAML gives an error at the right line and still estimates the body', () => {
    const text = [
      '---',
      'model: gpt-4o',
      'variables:',
      '  question: "unterminated',
      'max_tokens: 5',
      '---',
      'Hello {{question}}',
    ].join('\n');
    const parsed = parsePromptFile('b.prompt.md', text, 'prompt-markdown');
    const error = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'front-matter-yaml');
    assert.ok(error, 'expected a YAML diagnostic');
    assert.equal(error.severity, 'error');
    assert.ok(error.span.start.line >= 3 && error.span.start.line <= 5, `line ${error.span.start.line}`);
    assert.equal(parsed.prompts.length, 1);
    assert.equal(parsed.prompts[0]!.messages[0]!.content, 'Hello');
  });

  it('unclosed front matter is reported on line 1 and the file is estimated as a whole', () => {
    const parsed = parsePromptFile('c.prompt.md', '---\nmodel: gpt-4o\nHello there\n', 'prompt-markdown');
    assert.equal(parsed.diagnostics[0]?.code, 'front-matter-unclosed');
    assert.equal(parsed.diagnostics[0]?.span.start.line, 0);
    assert.match(parsed.prompts[0]!.messages[0]!.content, /Hello there/);
  });

  it('a variable without a sample value is a warning at its placeholder', () => {
    const parsed = parsePromptFile('d.prompt.md', '---\nmodel: gpt-4o\n---\nHi\n{{ name }}\n', 'prompt-markdown');
    const warning = parsed.diagnostics.find((diagnostic) => diagnostic.code === 'variable-without-sample');
    assert.equal(warning?.span.start.line, 4);
  });

  it('invalid max_tokens and unknown task are warnings, not exceptions', () => {
    const parsed = parsePromptFile('e.prompt.md', '---\nmax_tokens: lots\ntask: poetry\n---\nHi\n', 'prompt-markdown');
    assert.deepEqual(parsed.diagnostics.map((diagnostic) => diagnostic.code).sort(), [
      'invalid-number',
      'unknown-task',
    ]);
    assert.equal(parsed.prompts[0]!.maxTokens, undefined);
  });
});

describe('.prompty', () => {
  const text = [
    '---',
    'name: Classifier',
    'model:',
    '  api: chat',
    '  configuration:',
    '    type: azure_openai',
    '    azure_deployment: gpt-4o-mini',
    '  parameters:',
    '    max_tokens: 10',
    '    temperature: 0',
    'inputs:',
    '  subject:',
    '    type: string',
    '    default: Refund',
    '  body:',
    '    sample: Charged twice',
    'sample:',
    '  subject: Charged twice for October',
    '---',
    'You route tickets.',
    '',
    'user:',
    '{{subject}}: {{body}}',
  ].join('\n');

  it('reads model.configuration and parameters, sample values, and makes leading text a system message', () => {
    const prompt = parsePromptFile('t.prompty', text, 'prompty').prompts[0]!;
    assert.equal(prompt.model, 'gpt-4o-mini');
    assert.equal(prompt.maxTokens, 10);
    assert.deepEqual(
      prompt.messages.map((message) => [message.role, message.content]),
      [
        ['system', 'You route tickets.'],
        ['user', 'Charged twice for October: Charged twice'],
      ],
    );
    assert.equal(prompt.modelSpan?.start.line, 6);
  });
});

describe('.prompt (Dotprompt)', () => {
  it('reads config.maxOutputTokens, input.default and {{role}} markers; strips the provider prefix', () => {
    const text = [
      '---',
      'model: openai/gpt-4o-mini',
      'config:',
      '  maxOutputTokens: 400',
      'input:',
      '  schema:',
      '    text: string',
      '  default:',
      '    text: Invoice 42 from ACME',
      '---',
      '{{role "system"}}',
      'Extract fields as JSON.',
      '{{#if text}}',
      '{{role "user"}}',
      '{{text}}',
      '{{/if}}',
    ].join('\n');
    const prompt = parsePromptFile('x.prompt', text, 'dotprompt').prompts[0]!;
    assert.equal(prompt.model, 'gpt-4o-mini');
    assert.equal(prompt.maxTokens, 400);
    assert.deepEqual(
      prompt.messages.map((message) => [message.role, message.content]),
      [
        ['system', 'Extract fields as JSON.'],
        ['user', 'Invoice 42 from ACME'],
      ],
    );
  });
});

describe('Batch .jsonl', () => {
  const lines = [
    JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 },
    }),
    JSON.stringify({
      custom_id: 'b',
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-small', input: ['one', 'two'] },
    }),
    '{"custom_id": "c", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o", ',
    JSON.stringify({ custom_id: 'd', method: 'POST', url: '/v1/chat/completions' }),
    JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o', messages: [] },
    }),
    '',
  ];
  const parsed = parsePromptFile('jobs.jsonl', lines.join('\n'), 'batch-jsonl');

  it('turns each valid line into a prompt with its custom_id', () => {
    assert.deepEqual(
      parsed.prompts.map((prompt) => [prompt.id, prompt.kind, prompt.model]),
      [
        ['a', 'chat', 'gpt-4o-mini'],
        ['b', 'embedding', 'text-embedding-3-small'],
      ],
    );
    assert.deepEqual(parsed.prompts[1]!.embeddingInputs, ['one', 'two']);
    assert.equal(parsed.prompts[0]!.span.start.line, 0);
    assert.equal(parsed.prompts[1]!.span.start.line, 1);
  });

  it('reports a malformed line, a line missing body and a duplicate custom_id at their lines', () => {
    const byLine = parsed.diagnostics.map((diagnostic) => [
      diagnostic.span.start.line,
      diagnostic.code,
      diagnostic.severity,
    ]);
    assert.deepEqual(byLine, [
      [2, 'batch-json', 'error'],
      [3, 'batch-line', 'error'],
      [4, 'batch-line', 'error'],
    ]);
    assert.match(parsed.diagnostics[2]!.message, /already used on line 1/);
  });

  it('points modelSpan at the model string inside the line', () => {
    const span = parsed.prompts[0]!.modelSpan!;
    const line = lines[0]!;
    assert.equal(line.slice(span.start.character, span.end.character), 'gpt-4o-mini');
  });
});

describe('plain text and refusals', () => {
  it('a .txt prompt is one user message', () => {
    const prompt = parsePromptFile('prompts/a.txt', '\n  Write a haiku.  \n', 'plain-text').prompts[0]!;
    assert.deepEqual(
      prompt.messages.map((message) => message.content),
      ['Write a haiku.'],
    );
  });
  it('refuses a 10 MB file with its size and what to do', () => {
    const parsed = parsePromptFile('big.prompt.md', 'x'.repeat(10 * 1024 * 1024), 'prompt-markdown');
    assert.equal(parsed.prompts.length, 0);
    assert.match(parsed.diagnostics[0]!.message, /10\.0 MB, above the 2\.0 MB limit.*maxFileSizeMB/);
  });
  it('refuses binary content', () => {
    const parsed = parsePromptFile('bin.prompt.md', 'abc\u0000\u0001def', 'prompt-markdown');
    assert.equal(parsed.diagnostics[0]?.code, 'binary-file');
  });
  it('never throws on odd input', () => {
    for (const text of [
      '',
      '---',
      '---\n---',
      '---\n- a\n- b\n---\nx',
      '{{',
      '}}{{a',
      'system:',
      '\u0085\u2028',
      '---\n: :\n---',
    ]) {
      for (const format of ['prompt-markdown', 'prompty', 'dotprompt', 'batch-jsonl', 'plain-text'] as const) {
        assert.doesNotThrow(() => parsePromptFile('f', text, format));
      }
    }
  });
});

describe('which files are prompts', () => {
  it('recognises formats by name and plain files only under prompt folders', () => {
    assert.equal(promptFormatFor('x/a.prompt.md', []), 'prompt-markdown');
    assert.equal(promptFormatFor('a.prompty', []), 'prompty');
    assert.equal(promptFormatFor('a.prompt', []), 'dotprompt');
    assert.equal(promptFormatFor('notes.md', ['**/prompts']), undefined);
    assert.equal(promptFormatFor('examples/prompts/notes.md', ['**/prompts']), 'plain-text');
    assert.equal(promptFormatFor('prompts/sub/a.txt', ['prompts']), 'plain-text');
    assert.equal(promptFormatFor('data/rows.jsonl', [], '{"question": "x"}\n'), undefined);
    assert.equal(promptFormatFor('data/jobs.jsonl', [], '{"custom_id": "1"}\n'), 'batch-jsonl');
  });
  it('matches folder globs', () => {
    assert.ok(isUnderPromptFolder('a/b/prompts/c/x.md', ['**/prompts']));
    assert.ok(isUnderPromptFolder('team-a/x.md', ['team-*']));
    assert.ok(!isUnderPromptFolder('a/prompts-old/x.md', ['**/prompts']));
  });
});
