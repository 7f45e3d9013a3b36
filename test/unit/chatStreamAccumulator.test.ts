import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { ChatStreamAccumulator } from '../../src/core/client/chatStreamAccumulator';

function chunk(choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices,
    ...extra,
  };
}

describe('ChatStreamAccumulator', () => {
  test('concatenates content per choice, reports deltas, and takes usage from the final chunk', () => {
    const accumulator = new ChatStreamAccumulator();
    const deltas = [
      ...accumulator.add(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])),
      ...accumulator.add(
        chunk([
          { index: 0, delta: { content: 'Hel' }, finish_reason: null },
          { index: 1, delta: { content: 'Bon' }, finish_reason: null },
        ]),
      ),
      ...accumulator.add(
        chunk([
          { index: 1, delta: { content: 'jour' }, finish_reason: 'stop' },
          { index: 0, delta: { content: 'lo' }, finish_reason: 'length' },
        ]),
      ),
      ...accumulator.add(chunk([], { usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } })),
    ];
    assert.deepEqual(deltas, [
      { choiceIndex: 0, content: 'Hel' },
      { choiceIndex: 1, content: 'Bon' },
      { choiceIndex: 1, content: 'jour' },
      { choiceIndex: 0, content: 'lo' },
    ]);
    const completion = accumulator.result();
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.id, 'chatcmpl-1');
    assert.deepEqual(
      completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason]),
      [
        [0, 'Hello', 'length'],
        [1, 'Bonjour', 'stop'],
      ],
    );
    assert.equal(completion.usage?.total_tokens, 13);
  });

  test('assembles streamed tool calls by index', () => {
    const accumulator = new ChatStreamAccumulator();
    accumulator.add(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_', arguments: '{"ci' } }],
          },
          finish_reason: null,
        },
      ]),
    );
    accumulator.add(
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { name: 'weather', arguments: 'ty":"Oslo"}' } }] },
          finish_reason: null,
        },
      ]),
    );
    accumulator.add(
      chunk([
        {
          index: 0,
          delta: { tool_calls: [{ index: 1, id: 'call_2', function: { name: 'now', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
        },
      ]),
    );
    const message = accumulator.result().choices[0]?.message;
    assert.equal(message?.content, null);
    assert.deepEqual(message?.tool_calls, [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
      { id: 'call_2', type: 'function', function: { name: 'now', arguments: '{}' } },
    ]);
  });

  test('a stream that ends before a finish_reason is a broken answer, not a short one', () => {
    const accumulator = new ChatStreamAccumulator();
    accumulator.add(chunk([{ index: 0, delta: { content: 'Half an ans' }, finish_reason: null }]));
    assert.throws(() => accumulator.result(), SyntaxError);
    assert.throws(() => new ChatStreamAccumulator().result(), SyntaxError);
  });
});
