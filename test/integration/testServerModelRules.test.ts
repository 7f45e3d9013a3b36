import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { APIError, toFile } from 'openai';
import { startTestServer, type TestServer } from '../server/index';

function user(text: string): Array<{ role: 'user'; content: string }> {
  return [{ role: 'user', content: text }];
}

async function apiError(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof APIError, `expected an APIError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

function errorBody(error: APIError): unknown {
  return [error.status, (error.error as { message?: unknown }).message, error.type, error.param, error.code];
}

describe('test server: model rules as OpenAI applies them', () => {
  let server: TestServer;
  let openai: OpenAI;
  before(async () => {
    server = await startTestServer({ streamChunkDelayMs: 0 });
    openai = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
  });
  afterEach(() => server.reset());
  after(() => server.close());

  test('reasoning models reject max_tokens, sampling values other than 1, penalties, logprobs and logit_bias', async () => {
    const maxTokens = await apiError(
      openai.chat.completions.create({ model: 'gpt-5-mini', messages: user('hi'), max_tokens: 10 }),
    );
    assert.deepEqual(errorBody(maxTokens), [
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'invalid_request_error',
      'max_tokens',
      'unsupported_parameter',
    ]);
    const temperature = await apiError(
      openai.chat.completions.create({ model: 'gpt-5-nano', messages: user('hi'), temperature: 0 }),
    );
    assert.deepEqual(errorBody(temperature), [
      400,
      "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
      'invalid_request_error',
      'temperature',
      'unsupported_value',
    ]);
    const topP = await apiError(openai.chat.completions.create({ model: 'o4-mini', messages: user('hi'), top_p: 0.5 }));
    assert.deepEqual([topP.param, topP.code], ['top_p', 'unsupported_value']);
    for (const extra of [
      { presence_penalty: 0.5 },
      { frequency_penalty: 1 },
      { logit_bias: { '42': 5 } },
      { logprobs: true },
    ]) {
      const error = await apiError(openai.chat.completions.create({ model: 'gpt-5', messages: user('hi'), ...extra }));
      const param = Object.keys(extra)[0];
      assert.deepEqual(errorBody(error), [
        400,
        `Unsupported parameter: '${param}' is not supported with this model.`,
        'invalid_request_error',
        param,
        'unsupported_parameter',
      ]);
    }
    const accepted = await openai.chat.completions.create({
      model: 'gpt-5-mini',
      messages: user('hi'),
      temperature: 1,
      max_completion_tokens: 500,
    });
    assert.equal(accepted.choices[0]?.finish_reason, 'stop');
    assert.equal(server.stats().completionsServed, 1);
  });

  test('gpt-5.1 and later take sampling parameters with effort none (their default) but not with reasoning on', async () => {
    const none = await openai.chat.completions.create({
      model: 'gpt-5.1',
      messages: user('hi'),
      temperature: 0,
      top_p: 0.9,
      logprobs: true,
    });
    assert.equal(none.usage?.completion_tokens_details?.reasoning_tokens, 0);
    const low = await apiError(
      openai.chat.completions.create({
        model: 'gpt-5.1',
        messages: user('hi'),
        temperature: 0,
        reasoning_effort: 'low',
      }),
    );
    assert.deepEqual([low.param, low.code], ['temperature', 'unsupported_value']);
    const penalty = await apiError(
      openai.chat.completions.create({ model: 'gpt-5.4-nano', messages: user('hi'), presence_penalty: 1 }),
    );
    assert.equal(penalty.code, 'unsupported_parameter');
  });

  test('reasoning efforts a model does not accept are 400s naming the accepted ones; plain models reject the parameter', async () => {
    const minimal = await apiError(
      openai.chat.completions.create({ model: 'gpt-5.1', messages: user('hi'), reasoning_effort: 'minimal' }),
    );
    assert.deepEqual(errorBody(minimal), [
      400,
      "Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model. Supported values are: 'none', 'low', 'medium', and 'high'.",
      'invalid_request_error',
      'reasoning_effort',
      'unsupported_value',
    ]);
    const none = await apiError(
      openai.chat.completions.create({ model: 'gpt-5-nano', messages: user('hi'), reasoning_effort: 'none' }),
    );
    assert.match(
      (none.error as { message: string }).message,
      /Supported values are: 'minimal', 'low', 'medium', and 'high'\.$/,
    );
    const plain = await apiError(
      openai.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), reasoning_effort: 'low' }),
    );
    assert.deepEqual([plain.status, plain.param, plain.code], [400, 'reasoning_effort', 'unsupported_parameter']);
  });

  test('json_schema needs Structured Outputs; caps above the max output are 400s; unknown models 404', async () => {
    const responseFormat = {
      type: 'json_schema' as const,
      json_schema: { name: 'label', schema: { type: 'object', properties: { label: { type: 'string' } } } },
    };
    const schema = await apiError(
      openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages: user('hi'), response_format: responseFormat }),
    );
    assert.deepEqual([schema.status, schema.param, schema.code], [400, 'response_format', null]);
    assert.match(
      (schema.error as { message: string }).message,
      /^Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model\./,
    );
    await openai.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), response_format: responseFormat });
    await openai.chat.completions.create({
      model: 'gpt-4',
      messages: user('hi'),
      response_format: { type: 'json_object' },
    });
    const tooLarge = await apiError(
      openai.chat.completions.create({ model: 'gpt-4o', messages: user('hi'), max_tokens: 20_000 }),
    );
    assert.deepEqual(errorBody(tooLarge), [
      400,
      'max_tokens is too large: 20000. This model supports at most 16384 completion tokens, whereas you provided 20000.',
      'invalid_request_error',
      'max_tokens',
      'invalid_value',
    ]);
    const reasoningCap = await apiError(
      openai.chat.completions.create({ model: 'o3', messages: user('hi'), max_completion_tokens: 100_001 }),
    );
    assert.deepEqual([reasoningCap.param, reasoningCap.code], ['max_completion_tokens', 'invalid_value']);
    const unknown = await apiError(openai.chat.completions.create({ model: 'gpt-9-imaginary', messages: user('hi') }));
    assert.deepEqual(errorBody(unknown), [
      404,
      'The model `gpt-9-imaginary` does not exist or you do not have access to it.',
      'invalid_request_error',
      null,
      'model_not_found',
    ]);
    const responsesOnly = await apiError(openai.chat.completions.create({ model: 'o3-pro', messages: user('hi') }));
    assert.deepEqual([responsesOnly.status, responsesOnly.param], [400, 'model']);
    assert.equal(server.stats().completionsServed, 2);
  });

  test('hidden reasoning is spent out of max_completion_tokens: a small cap gives an empty answer cut by length', async () => {
    const request = {
      model: 'gpt-5-nano',
      messages: user('Classify this ticket: printer on fire'),
      max_completion_tokens: 10,
    };
    const cut = await openai.chat.completions.create(request);
    assert.deepEqual([cut.choices[0]?.message.content, cut.choices[0]?.finish_reason], ['', 'length']);
    assert.deepEqual([cut.usage?.completion_tokens, cut.usage?.completion_tokens_details?.reasoning_tokens], [10, 10]);
    const stream = await openai.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let reasoning: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      reasoning = chunk.usage?.completion_tokens_details?.reasoning_tokens ?? reasoning;
    }
    assert.deepEqual([text, finish, reasoning], ['', 'length', 10]);
    const reasoningAt = async (effort: 'minimal' | 'low' | 'medium' | 'high') =>
      (await openai.chat.completions.create({ ...request, max_completion_tokens: 4000, reasoning_effort: effort }))
        .usage?.completion_tokens_details?.reasoning_tokens ?? -1;
    const efforts = [
      await reasoningAt('minimal'),
      await reasoningAt('low'),
      await reasoningAt('medium'),
      await reasoningAt('high'),
    ];
    assert.deepEqual(
      [...efforts].sort((left, right) => left - right),
      efforts,
    );
    assert.ok((efforts[0] ?? 0) > 0 && (efforts[0] ?? 0) < (efforts[3] ?? 0), `efforts ${efforts.join(', ')}`);
    assert.equal(await reasoningAt('low'), efforts[1], 'the same request reasons the same amount');
    const roomy = await openai.chat.completions.create({
      ...request,
      max_completion_tokens: 200,
      reasoning_effort: 'minimal',
    });
    assert.equal(roomy.choices[0]?.finish_reason, 'stop');
    assert.match(roomy.choices[0]?.message.content ?? '', /^Answer: [0-9a-f]{8}/);
  });

  test('Responses API: output text, usage in its shape, the same rules under its names, incomplete when the cap is used', async () => {
    const long = `${'Shared system context for caching. '.repeat(200)}`;
    const first = await openai.responses.create({
      model: 'gpt-5-mini',
      instructions: long,
      input: 'Summarize please',
      max_output_tokens: 2000,
      reasoning: { effort: 'low' },
    });
    assert.deepEqual([first.object, first.status], ['response', 'completed']);
    assert.match(first.output_text, /^Answer: [0-9a-f]{8}/);
    assert.ok((first.usage?.output_tokens_details.reasoning_tokens ?? 0) > 0);
    assert.equal(first.usage?.total_tokens, (first.usage?.input_tokens ?? 0) + (first.usage?.output_tokens ?? 0));
    assert.equal(first.usage?.input_tokens_details.cached_tokens, 0);
    const again = await openai.responses.create({
      model: 'gpt-5-mini',
      instructions: long,
      input: 'Another question',
      max_output_tokens: 2000,
      reasoning: { effort: 'low' },
    });
    const cached = again.usage?.input_tokens_details.cached_tokens ?? 0;
    assert.ok(cached >= 1024 && cached % 128 === 0, `cached ${cached}`);
    const incomplete = await openai.responses.create({ model: 'gpt-5-nano', input: 'hi', max_output_tokens: 16 });
    assert.deepEqual(
      [incomplete.status, incomplete.incomplete_details?.reason, incomplete.output_text],
      ['incomplete', 'max_output_tokens', ''],
    );
    const sampling = await apiError(openai.responses.create({ model: 'gpt-5-nano', input: 'hi', temperature: 0 }));
    assert.deepEqual([sampling.param, sampling.code], ['temperature', 'unsupported_value']);
    const effort = await apiError(
      openai.responses.create({ model: 'gpt-5.1', input: 'hi', reasoning: { effort: 'minimal' } }),
    );
    assert.deepEqual([effort.param, effort.code], ['reasoning.effort', 'unsupported_value']);
    const cap = await apiError(openai.responses.create({ model: 'gpt-4o', input: 'hi', max_output_tokens: 50_000 }));
    assert.deepEqual([cap.param, cap.code], ['max_output_tokens', 'invalid_value']);
    const format = await apiError(
      openai.responses.create({
        model: 'gpt-3.5-turbo',
        input: 'hi',
        text: { format: { type: 'json_schema', name: 'x', schema: { type: 'object' } } },
      }),
    );
    assert.equal(format.param, 'text.format');
    const proOnly = await openai.responses.create({ model: 'o3-pro', input: 'hi' });
    assert.equal(proOnly.status, 'completed');
  });

  test('Responses streaming sends OpenAI semantic events in order and usage in response.completed', async () => {
    const stream = await openai.responses.create({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: 'Stream it' }],
      stream: true,
    });
    const types: string[] = [];
    let text = '';
    let usage: unknown;
    for await (const event of stream) {
      if (types.at(-1) !== event.type) types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') usage = event.response.usage;
    }
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const plain = await openai.responses.create({
      model: 'gpt-4o-mini',
      input: [{ role: 'user', content: 'Stream it' }],
    });
    assert.equal(text, plain.output_text);
    assert.deepEqual(usage, plain.usage);
  });

  test('the Batch API accepts /v1/responses lines and answers them with response objects', async () => {
    const lines = ['a', 'b'].map((id) =>
      JSON.stringify({
        custom_id: id,
        method: 'POST',
        url: '/v1/responses',
        body: { model: 'gpt-4o-mini', input: `question ${id}` },
      }),
    );
    lines.push(
      JSON.stringify({
        custom_id: 'bad',
        method: 'POST',
        url: '/v1/responses',
        body: { model: 'gpt-5-nano', input: 'x', temperature: 0 },
      }),
    );
    const file = await openai.files.create({
      file: await toFile(Buffer.from(lines.join('\n')), 'input.jsonl'),
      purpose: 'batch',
    });
    server.configure({ batchDurationMs: 20 });
    let batch = await openai.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/responses',
      completion_window: '24h',
    });
    for (let attempt = 0; attempt < 300 && !['completed', 'failed'].includes(batch.status); attempt += 1) {
      await delay(10);
      batch = await openai.batches.retrieve(batch.id);
    }
    assert.equal(batch.status, 'completed');
    type Line = {
      custom_id: string;
      response: { status_code: number; body: { object?: string; error?: { param?: string } } };
    };
    const lines_ = async (id: string | null | undefined) =>
      id
        ? (await (await openai.files.content(id)).text())
            .trim()
            .split('\n')
            .map((raw) => JSON.parse(raw) as Line)
        : [];
    const entries = [...(await lines_(batch.output_file_id)), ...(await lines_(batch.error_file_id))];
    assert.deepEqual(
      entries.map((entry) => [
        entry.custom_id,
        entry.response.status_code,
        entry.response.body.object ?? entry.response.body.error?.param,
      ]),
      [
        ['a', 200, 'response'],
        ['b', 200, 'response'],
        ['bad', 400, 'temperature'],
      ],
    );
  });

  test('service_tier: flex only where Flex processing exists (400 otherwise); the answer names the tier that served it', async () => {
    const flex = await openai.chat.completions.create({
      model: 'gpt-5-nano',
      messages: user('hi'),
      max_completion_tokens: 500,
      service_tier: 'flex',
    });
    assert.equal(flex.service_tier, 'flex');
    const plain = await openai.chat.completions.create({
      model: 'gpt-5-nano',
      messages: user('hi'),
      max_completion_tokens: 500,
      service_tier: 'auto',
    });
    assert.equal(plain.service_tier, 'default');
    const responses = await openai.responses.create({
      model: 'o4-mini',
      input: 'hi',
      max_output_tokens: 2000,
      service_tier: 'flex',
    });
    assert.equal(responses.service_tier, 'flex');
    const refused = await apiError(
      openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: user('hi'), service_tier: 'flex' }),
    );
    assert.deepEqual(
      [refused.status, refused.param, refused.code, refused.type],
      [400, 'service_tier', 'invalid_value', 'invalid_request_error'],
    );
    const bad = await apiError(
      openai.chat.completions.create({ model: 'gpt-5-nano', messages: user('hi'), service_tier: 'cheap' as 'flex' }),
    );
    assert.deepEqual([bad.status, bad.param], [400, 'service_tier']);
  });
});
