import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadedTokenizers } from '../support/estimator';
import { Estimator } from '../../src/core/estimate/estimator';

const tokenizers = loadedTokenizers();

const DOCUMENT = Array.from(
  { length: 60 },
  (_, index) =>
    `Paragraph ${index + 1}. The checkout service retried payments ${index} times during the outage. Engineers rolled back the cache change at 14:${String(index % 60).padStart(2, '0')}.`,
).join('\n\n');

function estimator(documents: Record<string, string>) {
  return new Estimator(
    tokenizers,
    { defaultModel: 'gpt-4o-mini', pricingOverrides: {}, maxFileBytes: 2 * 1024 * 1024 },
    () => new Date('2026-11-26T00:00:00Z'),
    (promptFile, relativePath) => documents[`${promptFile}|${relativePath}`],
  );
}

describe('documents in estimates', () => {
  it('{{file:path}} counts the included document in a single call', async () => {
    const engine = estimator({ 'prompts/a.prompt.md|../docs/report.md': DOCUMENT });
    const text = '---\nmodel: gpt-4o-mini\nmax_tokens: 100\n---\nSummarize:\n{{file:../docs/report.md}}\n';
    const withDocument = (await engine.estimate(engine.parse('prompts/a.prompt.md', text, 'prompt-markdown'), text))
      .estimates[0]!;
    const alone = (await engine.estimate(engine.parse('prompts/b.prompt.md', text, 'prompt-markdown'), text))
      .estimates[0]!;
    assert.ok(withDocument.inputTokens - alone.inputTokens >= tokenizers.peek('o200k_base')!.count(DOCUMENT) - 5);
    assert.deepEqual(alone.documentProblems, [
      '{{file:../docs/report.md}} cannot be read (paths are relative to the prompt file); it is counted as empty.',
    ]);
  });

  it('a chunk: prompt is estimated as its map-reduce run, next to one call with the whole document', async () => {
    const engine = estimator({ 'prompts/m.prompt.md|report.md': DOCUMENT });
    const text =
      '---\nmodel: gpt-4o-mini\nmax_tokens: 300\nchunk:\n  document: report.md\n  maxTokens: 200\n  mapMaxTokens: 50\n---\nSummarize the report.\n';
    const file = await engine.estimate(engine.parse('prompts/m.prompt.md', text, 'prompt-markdown'), text);
    const estimate = file.estimates[0]!;
    const mapReduce = estimate.mapReduce!;
    assert.ok(mapReduce.plan.map.calls >= 5, `${mapReduce.plan.map.calls} chunks`);
    assert.equal(estimate.cost!.total, mapReduce.plan.cost!.total, 'the prompt costs what its map-reduce run costs');
    assert.equal(estimate.inputTokens, mapReduce.plan.totalInputTokens);
    assert.equal(estimate.recommendation, undefined);
    assert.ok(mapReduce.comparison.singleCall, 'a model holds the whole document');
    const hint = file.diagnostics.find((diagnostic) => diagnostic.code === 'map-reduce');
    assert.match(hint!.message, /chunks → \d+ calls/);
    assert.match(hint!.message, /One call with the whole document on /);
  });

  it('a chunk: prompt whose document is missing says so and is estimated alone', async () => {
    const engine = estimator({});
    const text = '---\nmodel: gpt-4o-mini\nmax_tokens: 300\nchunk:\n  document: missing.md\n---\nSummarize.\n';
    const file = await engine.estimate(engine.parse('prompts/m.prompt.md', text, 'prompt-markdown'), text);
    assert.equal(file.estimates[0]!.mapReduce, undefined);
    assert.match(
      file.diagnostics.find((diagnostic) => diagnostic.code === 'document-problem')!.message,
      /"missing\.md" cannot be read/,
    );
  });
});
