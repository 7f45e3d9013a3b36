import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PromptMeterError } from '../../src/core/client/errors';
import { fromResponsesAnswer, toResponsesRequest } from '../../src/core/client/responsesConversion';

test('a chat-shaped body becomes the Responses shape: instructions, input items, cap, effort, text.format, tools', () => {
  const schema = { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] };
  const body = toResponsesRequest({
    model: 'gpt-5-mini',
    messages: [
      { role: 'system', content: 'You classify tickets.' },
      { role: 'developer', content: 'Answer in JSON.' },
      { role: 'user', content: [{ type: 'text', text: 'Printer on fire' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":1}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'found' },
    ],
    max_completion_tokens: 300,
    reasoning_effort: 'minimal',
    response_format: { type: 'json_schema', json_schema: { name: 'label', schema, strict: true } },
    verbosity: 'low',
    tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
    tool_choice: { type: 'function', function: { name: 'lookup' } },
    stream: true,
    stream_options: { include_usage: true },
    prompt_cache_key: 'tickets',
    logprobs: true,
    top_logprobs: 2,
  });
  assert.deepEqual(body, {
    model: 'gpt-5-mini',
    top_logprobs: 2,
    prompt_cache_key: 'tickets',
    stream: true,
    instructions: 'You classify tickets.\n\nAnswer in JSON.',
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'Printer on fire' }] },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"id":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'found' },
    ],
    max_output_tokens: 300,
    reasoning: { effort: 'minimal' },
    text: { format: { type: 'json_schema', name: 'label', schema, strict: true }, verbosity: 'low' },
    tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' } }],
    tool_choice: { type: 'function', name: 'lookup' },
    include: ['message.output_text.logprobs'],
  });
  assert.deepEqual(
    toResponsesRequest({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 5,
      response_format: { type: 'json_object' },
    }),
    {
      model: 'gpt-4o',
      input: [{ role: 'user', content: 'hi' }],
      max_output_tokens: 5,
      text: { format: { type: 'json_object' } },
    },
  );
});

test('parameters Responses cannot carry are refused with what to do, not dropped', () => {
  for (const extra of [{ stop: ['\n'] }, { seed: 7 }, { presence_penalty: 1 }, { logit_bias: { '1': 2 } }, { n: 2 }]) {
    assert.throws(
      () => toResponsesRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra }),
      (error: unknown) =>
        error instanceof PromptMeterError &&
        error.reason === 'badRequest' &&
        error.message.includes(`'${Object.keys(extra)[0]}'`) &&
        /api: chat/.test(error.action ?? ''),
    );
  }
  assert.doesNotThrow(() => toResponsesRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], n: 1 }));
});

test('a Responses answer reads as the chat completion it amounts to', () => {
  const usage = {
    input_tokens: 1300,
    input_tokens_details: { cached_tokens: 1152 },
    output_tokens: 90,
    output_tokens_details: { reasoning_tokens: 64 },
    total_tokens: 1390,
  };
  const completed = fromResponsesAnswer({
    id: 'resp_1',
    object: 'response',
    created_at: 1_700_000_000,
    model: 'gpt-5-mini',
    status: 'completed',
    output: [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'Hello ' },
          { type: 'output_text', text: 'there.' },
        ],
      },
    ],
    usage,
  });
  assert.deepEqual(completed, {
    id: 'resp_1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-5-mini',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: { role: 'assistant', content: 'Hello there.', refusal: null },
      },
    ],
    usage: {
      prompt_tokens: 1300,
      completion_tokens: 90,
      total_tokens: 1390,
      prompt_tokens_details: { cached_tokens: 1152 },
      completion_tokens_details: { reasoning_tokens: 64 },
    },
  });
  const incomplete = fromResponsesAnswer({
    id: 'resp_2',
    status: 'incomplete',
    incomplete_details: { reason: 'max_output_tokens' },
    output: [{ type: 'reasoning', summary: [] }],
  });
  assert.deepEqual(
    [incomplete.choices[0]?.finish_reason, incomplete.choices[0]?.message.content, incomplete.usage],
    ['length', null, undefined],
  );
  const filtered = fromResponsesAnswer({
    status: 'incomplete',
    incomplete_details: { reason: 'content_filter' },
    output: [],
  });
  assert.equal(filtered.choices[0]?.finish_reason, 'content_filter');
  const tool = fromResponsesAnswer({
    status: 'completed',
    output: [{ type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{}' }],
  });
  assert.deepEqual(
    [tool.choices[0]?.finish_reason, tool.choices[0]?.message.tool_calls],
    ['tool_calls', [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{}' } }]],
  );
});
