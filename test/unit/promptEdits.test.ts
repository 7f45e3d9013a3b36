import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { applyEdits, setMaxTokensEdits, setModelEdits } from '../../src/core/prompts/promptEdits';
import type { PromptFormat } from '../../src/core/prompts/promptTypes';

function withModel(file: string, text: string, format: PromptFormat, model: string, only?: string): string {
  return applyEdits(text, setModelEdits(parsePromptFile(file, text, format), text, model, only));
}

describe('setModelEdits', () => {
  it('replaces the model in place and keeps the rest of the front matter byte for byte', () => {
    const text = '---\n# cheap and fast\nmodel: gpt-4o   # chosen in review\nmax_tokens: 10\n---\nHi\n';
    assert.equal(
      withModel('a.prompt.md', text, 'prompt-markdown', 'gpt-6-luna'),
      text.replace('gpt-4o ', 'gpt-6-luna '),
    );
  });
  it('adds a model line to front matter that has none', () => {
    const text = '---\nmax_tokens: 10\n---\nHi\n';
    const result = withModel('a.prompt.md', text, 'prompt-markdown', 'gpt-4.1-mini');
    assert.equal(result, '---\nmax_tokens: 10\nmodel: gpt-4.1-mini\n---\nHi\n');
    assert.equal(parsePromptFile('a.prompt.md', result, 'prompt-markdown').prompts[0]!.model, 'gpt-4.1-mini');
  });
  it('creates front matter when the file has none', () => {
    const result = withModel('a.prompt.md', 'Hi\n', 'prompt-markdown', 'gpt-4o');
    assert.equal(result, '---\nmodel: gpt-4o\n---\nHi\n');
  });
  it('keeps the provider prefix of a Dotprompt model', () => {
    const text = '---\nmodel: openai/gpt-4o\n---\nHi\n';
    assert.match(withModel('a.prompt', text, 'dotprompt', 'gpt-4o-mini'), /model: openai\/gpt-4o-mini\n/);
  });
  it('changes the Prompty deployment where it is written', () => {
    const text = '---\nmodel:\n  configuration:\n    type: azure_openai\n    azure_deployment: gpt-4o\n---\nHi\n';
    const result = withModel('a.prompty', text, 'prompty', 'gpt-4o-mini');
    assert.equal(parsePromptFile('a.prompty', result, 'prompty').prompts[0]!.model, 'gpt-4o-mini');
    assert.match(result, /azure_deployment: gpt-4o-mini/);
  });
  it('rewrites every batch line, or only one', () => {
    const text = ['a', 'b']
      .map((id) =>
        JSON.stringify({
          custom_id: id,
          method: 'POST',
          url: '/v1/chat/completions',
          body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] },
        }),
      )
      .join('\n');
    const all = parsePromptFile('j.jsonl', withModel('j.jsonl', text, 'batch-jsonl', 'gpt-4.1-nano'), 'batch-jsonl');
    assert.deepEqual(
      all.prompts.map((prompt) => prompt.model),
      ['gpt-4.1-nano', 'gpt-4.1-nano'],
    );
    const one = parsePromptFile(
      'j.jsonl',
      withModel('j.jsonl', text, 'batch-jsonl', 'gpt-4.1-nano', 'b'),
      'batch-jsonl',
    );
    assert.deepEqual(
      one.prompts.map((prompt) => prompt.model),
      ['gpt-4o', 'gpt-4.1-nano'],
    );
  });
  it('cannot write into a .txt prompt', () => {
    assert.deepEqual(setModelEdits(parsePromptFile('p/a.txt', 'Hi', 'plain-text'), 'Hi', 'gpt-4o'), []);
  });
});

describe('setMaxTokensEdits', () => {
  const cases: Array<[string, PromptFormat, string]> = [
    ['a.prompt.md', 'prompt-markdown', '---\nmodel: gpt-4o\n---\nHi\n'],
    ['a.prompty', 'prompty', '---\nmodel:\n  configuration:\n    name: gpt-4o\n---\nHi\n'],
    ['a.prompt', 'dotprompt', '---\nmodel: openai/gpt-4o\n---\nHi\n'],
  ];
  for (const [file, format, text] of cases) {
    it(`${format}: the parsed prompt then has max_tokens 256`, () => {
      const parsed = parsePromptFile(file, text, format);
      const result = applyEdits(text, setMaxTokensEdits(parsed, text, parsed.prompts[0]!, 256));
      assert.equal(parsePromptFile(file, result, format).prompts[0]!.maxTokens, 256);
      assert.equal(parsePromptFile(file, result, format).prompts[0]!.model, 'gpt-4o');
    });
  }
  it('batch line: max_completion_tokens for reasoning models', () => {
    const text = JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'o3', messages: [{ role: 'user', content: 'x' }] },
    });
    const parsed = parsePromptFile('j.jsonl', text, 'batch-jsonl');
    const result = applyEdits(text, setMaxTokensEdits(parsed, text, parsed.prompts[0]!, 64, true));
    assert.equal(JSON.parse(result).body.max_completion_tokens, 64);
    assert.equal(parsePromptFile('j.jsonl', result, 'batch-jsonl').prompts[0]!.maxTokens, 64);
  });
});
