import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Tiktoken } from 'tiktoken/lite/init';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { testEstimator, testTokenizers } from '../support/estimator';
import { tokenizerAssets } from '../support/repository';

const tokenizers = testTokenizers();
let reference: Tiktoken;
before(async () => {
  await tokenizers.load('o200k_base');
  await tokenizers.load('cl100k_base');
  const ranks = JSON.parse(readFileSync(path.join(tokenizerAssets(), 'o200k_base.json'), 'utf8'));
  reference = new Tiktoken(ranks.bpe_ranks, ranks.special_tokens, ranks.pat_str);
});
after(() => {
  tokenizers.dispose();
  reference.free();
});

const encode = (text: string) => reference.encode(text, [], []).length;
const closeEnough = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≈ ${expected}`);

async function estimate(
  file: string,
  text: string,
  format: Parameters<typeof parsePromptFile>[2],
  overrides = {},
  modelOverride?: string,
) {
  const estimator = testEstimator(tokenizers, overrides);
  return estimator.estimate(estimator.parse(file, text, format), text, modelOverride);
}

describe('estimatePrompt', () => {
  it('counts chat framing exactly: 3 per message + role + content, +3 reply priming', async () => {
    const text = '---\nmodel: gpt-4o\nmax_tokens: 100\n---\nsystem:\nBe brief.\n\nuser:\nWhat is 2+2?\n';
    const file = await estimate('a.prompt.md', text, 'prompt-markdown');
    const expected = 3 + encode('system') + encode('Be brief.') + 3 + encode('user') + encode('What is 2+2?') + 3;
    assert.equal(file.estimates[0]!.inputTokens, expected);
    assert.equal(file.estimates[0]!.breakdown.framing, expected - encode('Be brief.') - encode('What is 2+2?'));
  });

  it('service_tier flex is priced at Batch API rates (so the Batch column is the same); priority is labelled a lower bound', async () => {
    const plain = (
      await estimate('f.prompt.md', '---\nmodel: gpt-5-mini\nmax_tokens: 1000\n---\nHello\n', 'prompt-markdown')
    ).estimates[0]!;
    const flexFile = await estimate(
      'f.prompt.md',
      '---\nmodel: gpt-5-mini\nmax_tokens: 1000\nservice_tier: flex\n---\nHello\n',
      'prompt-markdown',
    );
    const flex = flexFile.estimates[0]!;
    assert.equal(flex.flex, true);
    closeEnough(flex.cost!.total, plain.cost!.total / 2);
    closeEnough(flex.cost!.batchTotal, flex.cost!.total);
    assert.match(flex.price!.source.label, /Flex processing/);
    assert.ok(flexFile.diagnostics.some((diagnostic) => diagnostic.code === 'service-tier-flex'));
    const onMini = await estimate(
      'g.prompt.md',
      '---\nmodel: gpt-4o-mini\nmax_tokens: 10\nservice_tier: flex\n---\nHello\n',
      'prompt-markdown',
    );
    assert.equal(onMini.estimates[0]!.flex, undefined, 'no flex on gpt-4o-mini: standard price, and an error');
    assert.ok(
      onMini.diagnostics.some(
        (diagnostic) => diagnostic.severity === 'error' && /Flex processing/.test(diagnostic.message),
      ),
    );
    const priority = await estimate(
      'h.prompt.md',
      '---\nmodel: gpt-5-mini\nmax_tokens: 1000\nservice_tier: priority\n---\nHello\n',
      'prompt-markdown',
    );
    closeEnough(priority.estimates[0]!.cost!.total, plain.cost!.total);
    assert.ok(
      priority.diagnostics.some(
        (diagnostic) => diagnostic.code === 'service-tier-priority' && /lower bound/.test(diagnostic.message),
      ),
    );
  });

  it('prices input, output bound, batch and cached input on the chosen model', async () => {
    const text = '---\nmodel: gpt-4o-mini\nmax_tokens: 1000\n---\nHello\n';
    const { estimates } = await estimate('b.prompt.md', text, 'prompt-markdown');
    const prompt = estimates[0]!;
    assert.equal(prompt.outputBound, 'max_tokens');
    assert.equal(prompt.outputTokens, 1000);
    const cost = prompt.cost!;
    assert.ok(Math.abs(cost.input - (prompt.inputTokens * 0.15) / 1e6) < 1e-15);
    assert.ok(Math.abs(cost.cachedInput - (prompt.inputTokens * 0.075) / 1e6) < 1e-15);
    assert.ok(Math.abs(cost.outputMax - 0.0006) < 1e-15);
    assert.ok(Math.abs(cost.batchTotal - cost.total / 2) < 1e-15);
  });

  it('without max_tokens the output is bounded by the model maximum and flagged with a quick fix', async () => {
    const file = await estimate(
      'c.prompt.md',
      '---\nmodel: gpt-4o-mini\ntask: summarize\n---\nSummarize the memo.\n',
      'prompt-markdown',
    );
    assert.equal(file.estimates[0]!.outputBound, 'model-maximum');
    assert.equal(file.estimates[0]!.outputTokens, 16_384);
    const hint = file.diagnostics.find((diagnostic) => diagnostic.code === 'missing-max-tokens');
    assert.deepEqual(hint?.fix, { kind: 'set-max-tokens', value: 512, title: 'Add max_tokens: 512' });
  });

  it('an unknown model has price unknown (never $0), approximate tokens and a warning', async () => {
    const file = await estimate('d.prompt.md', '---\nmodel: gpt-9-ultra\nmax_tokens: 5\n---\nHi\n', 'prompt-markdown');
    const prompt = file.estimates[0]!;
    assert.equal(prompt.cost, undefined);
    assert.equal(prompt.approximate, true);
    assert.equal(prompt.recommendation, undefined);
    assert.match(
      file.diagnostics.find((diagnostic) => diagnostic.code === 'unknown-model')!.message,
      /price unknown — add an override/,
    );
  });

  it('an override makes a custom deployment priced and exact', async () => {
    const file = await estimate(
      'e.prompt.md',
      '---\nmodel: my-deployment\nmax_tokens: 5\n---\nHi\n',
      'prompt-markdown',
      { 'my-deployment': { input: 1, output: 2, encoding: 'o200k_base' } },
    );
    assert.equal(file.estimates[0]!.approximate, false);
    assert.ok(file.estimates[0]!.cost!.total > 0);
  });

  it('a prompt larger than the context window is an error with a model that fits', async () => {
    const big = 'lorem ipsum dolor sit amet '.repeat(30_000);
    const file = await estimate(
      'f.prompt.md',
      `---\nmodel: gpt-4o\nmax_tokens: 500\ntask: summarize\n---\n${big}`,
      'prompt-markdown',
    );
    const prompt = file.estimates[0]!;
    assert.ok(prompt.inputTokens > 128_000);
    assert.equal(prompt.exceedsContext, true);
    const error = file.diagnostics.find((diagnostic) => diagnostic.code === 'context-exceeded')!;
    assert.equal(error.severity, 'error');
    assert.equal(error.fix?.kind, 'set-model');
    assert.ok((error.fix as { model: string }).model !== 'gpt-4o');
  });

  it('counts Batch JSONL lines per line and embeddings with cl100k_base and no output', async () => {
    const lines = [
      JSON.stringify({
        custom_id: 'q1',
        method: 'POST',
        url: '/v1/embeddings',
        body: { model: 'text-embedding-3-small', input: 'How do I reset my password?' },
      }),
      JSON.stringify({
        custom_id: 'q2',
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20 },
      }),
    ].join('\n');
    const file = await estimate('jobs.jsonl', lines, 'batch-jsonl');
    const [embedding, chat] = file.estimates;
    assert.equal(embedding!.encoding, 'cl100k_base');
    assert.equal(embedding!.outputBound, 'none');
    assert.equal(embedding!.cost!.outputMax, 0);
    assert.equal(chat!.inputTokens, 3 + encode('user') + encode('Hi') + 3);
    assert.equal(file.totals.prompts, 2);
    assert.equal(file.totals.inputTokens, embedding!.inputTokens + chat!.inputTokens);
  });

  it('breaks input down per variable', async () => {
    const text =
      '---\nmodel: gpt-4o\nmax_tokens: 50\nvariables:\n  name: Ada Lovelace\n---\nHello {{name}}, and again {{name}}.\n';
    const variable = (await estimate('g.prompt.md', text, 'prompt-markdown')).estimates[0]!.breakdown.variables[0]!;
    assert.deepEqual([variable.name, variable.occurrences, variable.tokensEach], ['name', 2, encode('Ada Lovelace')]);
  });

  it('<|endoftext|> in a prompt is counted as text and explained', async () => {
    const file = await estimate(
      'h.prompt.md',
      '---\nmodel: gpt-4o\nmax_tokens: 5\n---\nStrip <|endoftext|> markers.\n',
      'prompt-markdown',
    );
    assert.equal(file.estimates[0]!.inputTokens, 3 + encode('user') + encode('Strip <|endoftext|> markers.') + 3);
    assert.ok(file.diagnostics.some((diagnostic) => diagnostic.code === 'special-token-text'));
  });
});

describe('tool definitions', () => {
  it('are counted with the cookbook constants', async () => {
    const line = JSON.stringify({
      custom_id: 't',
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4o',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Get the weather.',
              parameters: {
                type: 'object',
                properties: {
                  city: { type: 'string', description: 'City name' },
                  unit: { type: 'string', description: 'Unit', enum: ['c', 'f'] },
                },
              },
            },
          },
        ],
      },
    });
    const prompt = (await estimate('t.jsonl', line, 'batch-jsonl')).estimates[0]!;
    const tools =
      7 +
      encode('get_weather:Get the weather') +
      3 +
      (3 + encode('city:string:City name')) +
      (3 - 3 + 3 + encode('c') + 3 + encode('f') + encode('unit:string:Unit')) +
      12;
    assert.equal(prompt.breakdown.tools, tools);
    assert.equal(prompt.inputTokens, 3 + encode('user') + encode('Weather in Paris?') + 3 + tools);
  });
});
