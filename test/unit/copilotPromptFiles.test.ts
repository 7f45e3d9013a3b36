import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { copilotModelId } from '../../src/core/models/copilotModelNames';
import { isCopilotPromptFile } from '../../src/core/prompts/chatPromptFiles';
import { expandJobs } from '../../src/core/runs/expandJobs';
import { loadedTokenizers, testEstimator } from '../support/estimator';
import { repositoryRoot } from '../support/repository';

const tokenizers = loadedTokenizers();
const FILE = '.github/prompts/release-checklist.prompt.md';
const TEXT = readFileSync(path.join(repositoryRoot(), 'test', 'fixtures', 'prompts', 'formats', FILE), 'utf8');

describe('VS Code Copilot prompt files', () => {
  it('are recognised by location or by Copilot-only front matter; Prompt Meter keys keep a file ours', () => {
    assert.equal(isCopilotPromptFile('.github/prompts/a.prompt.md', {}), true);
    assert.equal(isCopilotPromptFile('prompts/a.prompt.md', { description: 'x', tools: [] }), true);
    assert.equal(isCopilotPromptFile('prompts/a.prompt.md', { model: 'gpt-4o' }), false, 'a lone model: is ours');
    assert.equal(isCopilotPromptFile('prompts/a.prompt.md', { description: 'x', max_tokens: 50 }), false);
    assert.equal(isCopilotPromptFile('.github/prompts/a.prompt.md', { description: 'x', variables: {} }), false);
  });

  it('map VS Code model display names to catalog ids where one matches', () => {
    assert.equal(copilotModelId('GPT-5 mini (copilot)'), 'gpt-5-mini');
    assert.equal(copilotModelId('GPT-4o'), 'gpt-4o');
    assert.equal(copilotModelId('GPT-4.1 (copilot)'), 'gpt-4.1');
    assert.equal(copilotModelId('o4-mini (Preview)'), 'o4-mini');
    assert.equal(copilotModelId('Claude Sonnet 4 (copilot)'), undefined);
  });

  it('show their tokens with no price, no hints, no template variables, and are never run', async () => {
    const estimator = testEstimator(tokenizers);
    const parsed = estimator.parse(FILE, TEXT, 'prompt-markdown');
    assert.deepEqual(parsed.diagnostics, []);
    const prompt = parsed.prompts[0]!;
    assert.equal(prompt.copilot, true);
    assert.equal(prompt.model, 'gpt-5-mini');
    assert.deepEqual(prompt.variables, []);
    assert.match(prompt.messages[0]!.content, /\$\{\{ github\.event\.inputs\.version \}\}/);
    const estimate = await estimator.estimate(parsed, TEXT);
    assert.ok(estimate.estimates[0]!.inputTokens > 40);
    assert.equal(estimate.estimates[0]!.cost, undefined);
    assert.equal(estimate.estimates[0]!.recommendation, undefined);
    assert.equal(estimate.estimates[0]!.outputBound, 'none');
    assert.deepEqual(estimate.diagnostics, [], 'no max_tokens, task or cheaper-model hints');
    const { jobs } = expandJobs([parsed], {
      estimate: estimator.options(undefined, false),
      overrides: {},
      datasetFor: () => undefined,
    });
    assert.deepEqual(jobs, []);
  });
});
