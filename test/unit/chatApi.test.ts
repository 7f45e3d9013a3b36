import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseChatApi } from '../../src/core/client/chatApi';

test('the declared API wins; otherwise Responses only for models that Chat Completions does not serve', () => {
  assert.equal(chooseChatApi(undefined, ['chat', 'responses', 'batch']), 'chat');
  assert.equal(chooseChatApi(undefined, ['responses', 'batch']), 'responses');
  assert.equal(chooseChatApi('responses', ['chat', 'responses', 'batch']), 'responses');
  assert.equal(
    chooseChatApi('chat', ['responses']),
    'chat',
    'a declared chat is sent as declared (the API then says why not)',
  );
  assert.equal(chooseChatApi(undefined, []), 'chat', 'an endpoint list that names neither keeps Chat Completions');
});
