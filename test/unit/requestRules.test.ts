import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestProblems } from '../../src/core/models/requestRules';
import { resolveModel } from '../../src/core/models/resolveModel';
import { parsePromptFile } from '../../src/core/prompts/parsePromptFile';
import { promptRequest } from '../../src/core/runs/promptRequest';

function promptMd(frontMatter: string, body = 'Classify: "I was charged twice."') {
  const text = `---\n${frontMatter}\n---\n${body}\n`;
  return { text, parsed: parsePromptFile('t.prompt.md', text, 'prompt-markdown') };
}

function problemsOn(model: string, frontMatter: string) {
  const { parsed } = promptMd(`model: ${model}\n${frontMatter}`);
  return requestProblems(parsed.prompts[0]!, resolveModel(model)).map((problem) => problem.parameter);
}

describe('request rules (what OpenAI rejects with a 400)', () => {
  it('reasoning models reject temperature other than 1, top_p, penalties, logprobs and logit_bias', () => {
    assert.deepEqual(
      problemsOn(
        'gpt-5-mini',
        'temperature: 0\ntop_p: 0.9\npresence_penalty: 0.5\nfrequency_penalty: 0.1\nlogprobs: true\nlogit_bias: {"50256": -100}',
      ),
      ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'logit_bias'],
    );
    assert.deepEqual(problemsOn('gpt-5-mini', 'temperature: 1\ntop_p: 1'), [], 'the default value 1 is accepted');
    assert.deepEqual(
      problemsOn('gpt-4o-mini', 'temperature: 0\ntop_p: 0.9\nlogprobs: true'),
      [],
      'non-reasoning models accept them',
    );
  });

  it('families that accept sampling with reasoning_effort none accept it only then', () => {
    assert.deepEqual(problemsOn('gpt-5.1', 'temperature: 0.2'), [], 'gpt-5.1 defaults to none');
    assert.deepEqual(problemsOn('gpt-5.1', 'temperature: 0.2\nreasoning_effort: low'), ['temperature']);
    assert.deepEqual(
      problemsOn('gpt-5.1', 'presence_penalty: 0.2\nreasoning_effort: none'),
      ['presence_penalty'],
      'penalties never',
    );
    assert.deepEqual(
      problemsOn('gpt-5.6-luna', 'temperature: 0.2\nreasoning_effort: none'),
      ['temperature'],
      'gpt-5.6 needs temperature 1 at every effort',
    );
  });

  it('reasoning efforts are checked per model; non-reasoning models reject the parameter', () => {
    assert.deepEqual(problemsOn('gpt-5.1', 'reasoning_effort: minimal'), ['reasoning_effort']);
    assert.deepEqual(problemsOn('gpt-5-nano', 'reasoning_effort: minimal'), []);
    assert.deepEqual(problemsOn('gpt-5-nano', 'reasoning_effort: none'), ['reasoning_effort']);
    assert.deepEqual(problemsOn('gpt-6-astra', 'reasoning_effort: none'), ['reasoning_effort']);
    assert.deepEqual(problemsOn('gpt-4.1', 'reasoning_effort: low'), ['reasoning_effort']);
  });

  it('an output cap above the model maximum, json_schema without Structured Outputs, verbosity before gpt-5', () => {
    assert.deepEqual(problemsOn('gpt-4o', 'max_tokens: 20000'), ['max_tokens']);
    assert.deepEqual(problemsOn('gpt-4o', 'max_tokens: 16384'), []);
    const schema = 'response_format:\n  type: json_schema\n  json_schema: {name: label, schema: {type: object}}';
    assert.deepEqual(problemsOn('gpt-3.5-turbo', schema), ['response_format']);
    assert.deepEqual(problemsOn('gpt-4o-mini', schema), []);
    assert.deepEqual(problemsOn('gpt-4.1', 'verbosity: low'), ['verbosity']);
    assert.deepEqual(problemsOn('gpt-5', 'verbosity: low'), []);
  });

  it('service_tier flex only where Flex processing exists; a value the API does not take', () => {
    assert.deepEqual(problemsOn('gpt-5-mini', 'service_tier: flex'), []);
    assert.deepEqual(problemsOn('o4-mini', 'service_tier: flex'), []);
    assert.deepEqual(
      problemsOn('gpt-4o-mini', 'service_tier: flex'),
      ['service_tier'],
      'no flex on gpt-4o-mini: a 400, no fallback',
    );
    assert.deepEqual(problemsOn('gpt-4o-mini', 'service_tier: priority'), []);
    assert.deepEqual(problemsOn('gpt-5', 'service_tier: cheap'), ['service_tier']);
    assert.deepEqual(problemsOn('gpt-6-sol', 'service_tier: flex'), [], 'not known for gpt-6: not refused');
  });

  it('the problem sits on the key line and carries the fix', () => {
    const { parsed } = promptMd('model: gpt-5-nano\nmax_tokens: 10\ntemperature: 0');
    const [problem] = requestProblems(parsed.prompts[0]!, resolveModel('gpt-5-nano'));
    assert.equal(problem?.span?.start.line, 3);
    assert.deepEqual(problem?.fix?.changes, [{ kind: 'remove-parameter', name: 'temperature' }]);
  });

  it('unknown models are not checked; an override that says it reasons turns the checks on', () => {
    const { parsed } = promptMd('model: my-deployment\ntemperature: 0');
    assert.deepEqual(requestProblems(parsed.prompts[0]!, resolveModel('my-deployment')), []);
    const checked = requestProblems(
      parsed.prompts[0]!,
      resolveModel('my-deployment', { 'my-deployment': { reasoning: true } }),
    );
    assert.deepEqual(
      checked.map((problem) => problem.parameter),
      ['temperature'],
    );
  });

  it('a Batch line with max_tokens for a reasoning model is refused (it is sent as written)', () => {
    const line = JSON.stringify({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'o4-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
    });
    const parsed = parsePromptFile('b.jsonl', line, 'batch-jsonl');
    assert.deepEqual(
      requestProblems(parsed.prompts[0]!, resolveModel('o4-mini')).map((problem) => problem.parameter),
      ['max_tokens'],
    );
  });
});

describe('every declared parameter is sent', () => {
  const declared = [
    'temperature: 0.3',
    'top_p: 0.9',
    'seed: 7',
    'stop: ["END"]',
    'presence_penalty: 0.1',
    'frequency_penalty: 0.2',
    'logit_bias: {"1734": -5}',
    'logprobs: true',
    'top_logprobs: 2',
    'response_format: {type: json_object}',
    'tool_choice: auto',
    'parallel_tool_calls: false',
    'service_tier: flex',
    'prompt_cache_key: faq-v2',
    'prompt_cache_retention: 24h',
    'user: team-a',
    'metadata: {pipeline: nightly}',
    'store: false',
  ];

  it('from .prompt.md front matter, under the API names; Prompt Meter keys are not sent', () => {
    const { parsed } = promptMd(
      `model: gpt-4o-mini\nmax_tokens: 40\ntask: classify\nvariables: {x: 1}\n${declared.join('\n')}`,
    );
    const body = promptRequest(parsed.prompts[0]!, 'gpt-4o-mini') as unknown as Record<string, unknown>;
    assert.deepEqual(body.stop, ['END']);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.deepEqual(body.metadata, { pipeline: 'nightly' });
    assert.equal(body.seed, 7);
    assert.equal(body.max_tokens, 40);
    for (const line of declared) assert.ok(line.split(':')[0]! in body, `${line} is sent`);
    for (const key of ['task', 'variables', 'data', 'chunk', 'model_name'])
      assert.ok(!(key in body), `${key} is not sent`);
  });

  it('from Prompty v1 model.parameters and v2 model.options (camelCase), and Dotprompt config', () => {
    const v1 =
      '---\nmodel:\n  configuration: {name: gpt-4o}\n  parameters: {max_tokens: 30, seed: 3, stop: ["\\n"], response_format: {type: json_object}}\n---\nuser:\nHi\n';
    const v2 =
      '---\nmodel:\n  id: gpt-4o\n  options: {maxOutputTokens: 30, topP: 0.5, stopSequences: ["."], frequencyPenalty: 0.3}\n---\nuser:\nHi\n';
    const dot =
      '---\nmodel: openai/gpt-4o\nconfig: {maxOutputTokens: 30, temperature: 0.4, topP: 0.8, seed: 9}\n---\nHi\n';
    const one = promptRequest(parsePromptFile('a.prompty', v1, 'prompty').prompts[0]!, 'gpt-4o') as unknown as Record<
      string,
      unknown
    >;
    const two = promptRequest(parsePromptFile('b.prompty', v2, 'prompty').prompts[0]!, 'gpt-4o') as unknown as Record<
      string,
      unknown
    >;
    const three = promptRequest(
      parsePromptFile('c.prompt', dot, 'dotprompt').prompts[0]!,
      'gpt-4o',
    ) as unknown as Record<string, unknown>;
    assert.deepEqual(
      [one.max_tokens, one.seed, one.stop, one.response_format],
      [30, 3, ['\n'], { type: 'json_object' }],
    );
    assert.deepEqual([two.max_tokens, two.top_p, two.stop, two.frequency_penalty], [30, 0.5, ['.'], 0.3]);
    assert.deepEqual([three.max_tokens, three.temperature, three.top_p, three.seed], [30, 0.4, 0.8, 9]);
  });

  it('a reasoning model gets max_completion_tokens for the same cap', () => {
    const { parsed } = promptMd('model: gpt-5-nano\nmax_tokens: 200\nreasoning_effort: minimal');
    const body = promptRequest(parsed.prompts[0]!, 'gpt-5-nano') as unknown as Record<string, unknown>;
    assert.equal(body.max_completion_tokens, 200);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.reasoning_effort, 'minimal');
  });
});
