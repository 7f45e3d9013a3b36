import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestProblems } from '../../src/core/models/requestRules';
import { resolveModel } from '../../src/core/models/resolveModel';
import { promptChangeEdits } from '../../src/core/prompts/promptChangeEdits';
import { applyEdits } from '../../src/core/prompts/promptEdits';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import type { PromptChange, PromptFormat } from '../../src/core/prompts/promptTypes';

/** The edits a recommendation to gpt-5-nano writes: model, effort, temperature dropped, cap raised. */
const TO_NANO: PromptChange[] = [
  { kind: 'set-model', model: 'gpt-5-nano' },
  { kind: 'set-parameter', name: 'reasoning_effort', value: 'minimal' },
  { kind: 'remove-parameter', name: 'temperature' },
  { kind: 'set-max-tokens', value: 208 },
];

const FILES: Array<{ name: string; format: PromptFormat; text: string }> = [
  {
    name: 'a.prompt.md',
    format: 'prompt-markdown',
    text: '---\n# the classifier\nmodel: gpt-4o\nmax_tokens: 10\ntemperature: 0\n---\nBilling or bug?\n',
  },
  {
    name: 'b.prompty',
    format: 'prompty',
    text: '---\nname: classify\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: gpt-4o\n  parameters:\n    max_tokens: 10\n    temperature: 0\n---\nsystem:\nClassify.\nuser:\nBilling or bug?\n',
  },
  {
    name: 'c.prompty',
    format: 'prompty',
    text: '---\nname: classify\nmodel:\n  id: gpt-4o\n  options:\n    maxOutputTokens: 10\n    temperature: 0\n---\nsystem:\nClassify.\nuser:\nBilling or bug?\n',
  },
  {
    name: 'd.prompt',
    format: 'dotprompt',
    text: '---\nmodel: openai/gpt-4o\nconfig:\n  maxOutputTokens: 10\n  temperature: 0\n---\nBilling or bug?\n',
  },
  {
    name: 'f.prompt.yml',
    format: 'github-models',
    text: 'name: classify\nmodel: openai/gpt-4o\nmodelParameters:\n  maxTokens: 10\n  temperature: 0\nmessages:\n  - role: user\n    content: Billing or bug?\n',
  },
  {
    name: 'e.jsonl',
    format: 'batch-jsonl',
    text: `${JSON.stringify({ custom_id: 'x', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o', max_tokens: 10, temperature: 0, messages: [{ role: 'user', content: 'Billing or bug?' }] } })}\n`,
  },
];

describe('promptChangeEdits writes a recommendation in every format', () => {
  for (const file of FILES) {
    it(`${file.format} (${file.name}): the edited file parses to a request gpt-5-nano accepts`, () => {
      const parsed = parsePromptFile(file.name, file.text, file.format);
      const edits = promptChangeEdits(parsed, file.text, parsed.prompts[0]!, TO_NANO, { reasoningModel: true });
      assert.equal(edits.length, 1);
      const after = applyEdits(file.text, edits);
      const reparsed = parsePromptFile(file.name, after, file.format);
      const prompt = reparsed.prompts[0]!;
      assert.equal(prompt.model, 'gpt-5-nano');
      assert.equal(prompt.maxTokens, 208);
      assert.deepEqual(
        prompt.parameters.map((parameter) => [parameter.name, parameter.value]),
        [['reasoning_effort', 'minimal']],
      );
      assert.deepEqual(requestProblems(prompt, resolveModel('gpt-5-nano')), []);
      assert.deepEqual(
        reparsed.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'),
        [],
      );
      // The body is untouched.
      assert.ok(after.includes('Billing or bug?'));
    });
  }

  it('keeps comments and the provider prefix; Prompty v2 gets camelCase keys under options', () => {
    const [markdown, , v2, dot] = FILES.map((file) => {
      const parsed = parsePromptFile(file.name, file.text, file.format);
      return applyEdits(
        file.text,
        promptChangeEdits(parsed, file.text, parsed.prompts[0]!, TO_NANO, { reasoningModel: true }),
      );
    });
    assert.match(markdown!, /# the classifier/);
    assert.match(v2!, /reasoningEffort: minimal/);
    assert.match(v2!, /maxOutputTokens: 208/);
    assert.match(dot!, /model: openai\/gpt-5-nano/);
  });

  it('a Batch line gets max_completion_tokens and loses max_tokens', () => {
    const file = FILES.find((candidate) => candidate.format === 'batch-jsonl')!;
    const parsed = parsePromptFile(file.name, file.text, file.format);
    const after = applyEdits(
      file.text,
      promptChangeEdits(parsed, file.text, parsed.prompts[0]!, TO_NANO, { reasoningModel: true }),
    );
    const body = (JSON.parse(after) as { body: Record<string, unknown> }).body;
    assert.equal(body.max_completion_tokens, 208);
    assert.equal('max_tokens' in body, false);
    assert.equal('temperature' in body, false);
  });
});
