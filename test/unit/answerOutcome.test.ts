import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { answerOutcome, truncationText } from '../../src/core/client/answerOutcome';

function choice(finish: string, message: Partial<ChatCompletion.Choice['message']>): ChatCompletion.Choice {
  return {
    index: 0,
    finish_reason: finish as ChatCompletion.Choice['finish_reason'],
    logprobs: null,
    message: { role: 'assistant', content: null, refusal: null, ...message },
  };
}

test('length, content_filter and empty messages are truncated; text, tool calls and refusals are complete', () => {
  assert.deepEqual(answerOutcome({ choices: [choice('stop', { content: 'Fine.' })] }), { kind: 'complete' });
  assert.deepEqual(answerOutcome({ choices: [choice('length', { content: 'Half an ans' })] }), {
    kind: 'truncated',
    finishReason: 'length',
    empty: false,
  });
  assert.deepEqual(answerOutcome({ choices: [choice('length', { content: '' })] }), {
    kind: 'truncated',
    finishReason: 'length',
    empty: true,
  });
  assert.deepEqual(answerOutcome({ choices: [choice('content_filter', { content: null })] }), {
    kind: 'truncated',
    finishReason: 'content_filter',
    empty: true,
  });
  assert.deepEqual(answerOutcome({ choices: [choice('stop', { content: '' })] }), {
    kind: 'truncated',
    finishReason: 'stop',
    empty: true,
  });
  const toolCall = { id: 'call_1', type: 'function' as const, function: { name: 'lookup', arguments: '{}' } };
  assert.deepEqual(answerOutcome({ choices: [choice('tool_calls', { content: null, tool_calls: [toolCall] })] }), {
    kind: 'complete',
  });
  assert.deepEqual(
    answerOutcome({ choices: [choice('stop', { content: null, refusal: 'I cannot help with that.' })] }),
    { kind: 'complete' },
  );
  const second = { ...choice('length', { content: 'cut' }), index: 1 };
  assert.equal(
    answerOutcome({ choices: [choice('stop', { content: 'ok' }), second] }).kind,
    'truncated',
    'any incomplete choice decides',
  );
});

test('the words say what happened and what to change', () => {
  assert.match(
    truncationText('length', true),
    /^empty answer: the output cap was reached .*raise max_completion_tokens or lower reasoning_effort$/,
  );
  assert.match(truncationText('length', false), /^answer cut off: the output cap was reached — finish_reason length/);
  assert.match(truncationText('content_filter', true), /content filter — finish_reason content_filter$/);
  assert.equal(truncationText('stop', true), 'empty answer — finish_reason stop');
});
