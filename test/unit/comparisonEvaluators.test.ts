import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparisonEvaluators } from '../../src/core/compare/comparisonEvaluators';
import { unsupportedEvaluators } from '../../src/core/compare/evaluators';
import { parseGitHubModelsPrompt } from '../../src/core/prompts/githubModelsPrompt';

const FILE = `name: Routing
model: openai/gpt-4o
messages:
  - role: user
    content: "Ticket {{ticket}}"
testData:
  - ticket: "charged twice"
    expected: billing
evaluators:
  - name: right label
    string:
      equals: "{{expected}}"
      startsWith: 1
  - name: judged
    llm:
      modelId: openai/gpt-4o-mini
      prompt: "Is {{completion}} the label {{expected}}?"
      choices:
        - choice: "yes"
          score: 1
        - choice: "no"
          score: 0
  - name: close
    uses: github/similarity
  - name: own similarity
    similarity:
      threshold: 0.9
  - name: judge without choices
    llm:
      modelId: gpt-4o
      prompt: "?"
  - name: unknown
    uses: github/fluency
`;

describe('comparisonEvaluators (the .prompt.yml evaluators of the parser, typed for the compare engine)', () => {
  const prompt = parseGitHubModelsPrompt('routing.prompt.yml', FILE).prompts[0]!;
  const evaluators = comparisonEvaluators(prompt);

  it('string conditions as written (numbers as text), the judge with its bare model id, built-ins and similarity kept', () => {
    assert.deepEqual(
      evaluators.map((evaluator) => evaluator.name),
      ['right label', 'judged', 'close', 'own similarity', 'judge without choices', 'unknown'],
    );
    assert.deepEqual(evaluators[0]!.string, { equals: '{{expected}}', startsWith: '1' });
    assert.deepEqual(evaluators[1]!.llm, {
      modelId: 'gpt-4o-mini',
      prompt: 'Is {{completion}} the label {{expected}}?',
      choices: [
        { choice: 'yes', score: 1 },
        { choice: 'no', score: 0 },
      ],
    });
    assert.equal(evaluators[2]!.uses, 'github/similarity');
    assert.deepEqual(evaluators[3]!.similarity, { threshold: 0.9 });
  });

  it('an evaluator of the wrong shape is not silently passing: it is named as not supported', () => {
    const problems = unsupportedEvaluators(evaluators);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /"judge without choices"/);
    assert.match(problems[1]!, /github\/fluency/);
  });

  it('a prompt without evaluators has none', () => {
    assert.deepEqual(comparisonEvaluators({ ...prompt, evaluators: undefined }), []);
  });
});
