import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exactAgreement, jsonAgreement, agreementKind, normaliseAnswer } from '../../src/core/compare/agreement';
import {
  cosineSimilarity,
  fillReferences,
  judgeMessages,
  judgeVerdict,
  scoreStringEvaluator,
  similaritySpec,
  unsupportedEvaluators,
  type LlmEvaluator,
} from '../../src/core/compare/evaluators';

const row = { input: 'The fox jumped.', expected: 'Summary - A fox jumped.' };

describe('evaluators (GitHub Models .prompt.yml)', () => {
  it('string evaluators fill {{expected}} from the test data; every condition must hold', () => {
    assert.equal(scoreStringEvaluator({ equals: '{{expected}}' }, '  Summary - A fox jumped.\n', row).passed, true);
    assert.equal(
      scoreStringEvaluator({ equals: '{{expected}}' }, 'summary - a fox jumped.', row).passed,
      false,
      'case-sensitive as written',
    );
    assert.equal(scoreStringEvaluator({ startsWith: 'Summary -', endsWith: '.' }, 'Summary - ok.', row).passed, true);
    const missed = scoreStringEvaluator({ startsWith: 'Summary -', contains: '{{ input }}' }, 'Summary - nothing', row);
    assert.equal(missed.passed, false);
    assert.match(missed.detail, /contains "The fox jumped\." not met/);
    assert.equal(fillReferences('{{unknown}} and {{expected}}', row), '{{unknown}} and Summary - A fox jumped.');
  });

  it('LLM-as-judge: the prompt gets {{completion}} and columns; the named choice scores, half the best passes', () => {
    const judge: LlmEvaluator = {
      modelId: 'judge-model',
      prompt: 'Answer: {{completion}}\nExpected: {{expected}}',
      choices: [
        { choice: 'good', score: 1 },
        { choice: 'ok', score: 0.5 },
        { choice: 'bad', score: 0 },
      ],
    };
    const messages = judgeMessages(judge, 'A fox.', row);
    assert.equal(messages[1]!.content, 'Answer: A fox.\nExpected: Summary - A fox jumped.');
    assert.match(messages[0]!.content, /good, ok, bad/);
    assert.equal(judgeVerdict(judge, 'Good').passed, true);
    assert.equal(judgeVerdict(judge, 'I would say ok.').passed, true);
    assert.equal(judgeVerdict(judge, 'bad').passed, false);
    assert.equal(judgeVerdict(judge, 'no idea').passed, false);
  });

  it('similarity: cosine of vectors, thresholds from the evaluator or the default; unsupported built-ins are named', () => {
    assert.equal(cosineSimilarity([1, 0], [1, 0]), 1);
    assert.equal(cosineSimilarity([1, 0], [0, 1]), 0);
    assert.equal(cosineSimilarity([0, 0], [1, 1]), 0);
    assert.deepEqual(similaritySpec({ name: 's', similarity: { threshold: 0.7 } }), {
      expected: '{{expected}}',
      threshold: 0.7,
    });
    assert.deepEqual(similaritySpec({ name: 's', uses: 'github/similarity' }), {
      expected: '{{expected}}',
      threshold: 0.85,
    });
    assert.equal(similaritySpec({ name: 's', string: { equals: 'x' } }), undefined);
    const problems = unsupportedEvaluators([
      { name: 'fluent', uses: 'github/fluency' },
      { name: 'eq', string: { equals: 'x' } },
    ]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /"fluent" \(uses: github\/fluency\) is not supported/);
  });
});

describe('agreement with the current model', () => {
  it('normalises labels (case, quotes, trailing punctuation, code fences) before comparing', () => {
    assert.equal(normaliseAnswer('  "Billing."\n'), 'billing');
    assert.equal(normaliseAnswer('```\nbug\n```'), 'bug');
    assert.equal(exactAgreement('billing', 'Billing').passed, true);
    assert.equal(exactAgreement('billing', 'bug').passed, false);
  });

  it('JSON answers agree field by field; extra fields do not fail; a non-object fails', () => {
    const reference = '{"name":"Ada","total":12.5,"items":["a","b"]}';
    assert.equal(
      jsonAgreement(reference, '```json\n{"total":12.5,"name":"ada","items":["a","b"],"extra":1}\n```').passed,
      true,
    );
    const differs = jsonAgreement(reference, '{"name":"Ada","total":13,"items":["a","b"]}');
    assert.equal(differs.passed, false);
    assert.match(differs.detail, /2\/3 fields agree \(differ: total\)/);
    assert.equal(jsonAgreement(reference, 'not json').passed, false);
  });

  it('chooses JSON for JSON answers, exact for classify/extract, similarity for free text', () => {
    assert.equal(agreementKind('summarize', '{"a":1}'), 'json');
    assert.equal(agreementKind('classify', 'billing'), 'exact');
    assert.equal(agreementKind('summarize', 'A fox jumped.'), 'similarity');
  });
});
