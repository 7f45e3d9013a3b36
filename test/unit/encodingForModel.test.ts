import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodingForModel, normalizeModelName } from '../../src/core/tokens/encodingForModel';

describe('encodingForModel', () => {
  const cases: Array<[string, string, boolean]> = [
    ['gpt-4o', 'o200k_base', false],
    ['gpt-4o-mini-2024-07-18', 'o200k_base', false],
    ['gpt-4.1-nano', 'o200k_base', false],
    ['gpt-4.5-preview', 'o200k_base', false],
    ['o3', 'o200k_base', false],
    ['o4-mini', 'o200k_base', false],
    ['gpt-5-mini', 'o200k_base', false],
    ['gpt-5.4', 'o200k_base', false],
    ['gpt-6-luna', 'o200k_base', false],
    ['openai/gpt-4o-mini', 'o200k_base', false],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base', false],
    ['gpt-4', 'cl100k_base', false],
    ['gpt-4-turbo', 'cl100k_base', false],
    ['gpt-4-0613', 'cl100k_base', false],
    ['gpt-3.5-turbo', 'cl100k_base', false],
    ['gpt-35-turbo', 'cl100k_base', false],
    ['text-embedding-3-small', 'cl100k_base', false],
    ['text-embedding-ada-002', 'cl100k_base', false],
    ['llama-3.1-70b', 'o200k_base', true],
    ['my-azure-deployment', 'o200k_base', true],
  ];
  for (const [model, encoding, approximate] of cases) {
    it(`${model} → ${encoding}${approximate ? ' (approximate)' : ''}`, () => {
      assert.deepEqual(encodingForModel(model), { encoding, approximate });
    });
  }
  it('an override wins and is exact', () => {
    assert.deepEqual(encodingForModel('my-azure-deployment', 'cl100k_base'), {
      encoding: 'cl100k_base',
      approximate: false,
    });
  });
  it('normalizes provider prefixes', () => {
    assert.equal(normalizeModelName(' OpenAI/GPT-4o '), 'gpt-4o');
  });
});
