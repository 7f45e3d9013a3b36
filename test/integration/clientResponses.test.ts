import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { ChatDelta } from '../../src/core/client/callResult';
import { PromptMeterError } from '../../src/core/client/errors';
import { readLedger } from '../../src/core/ledger/readLedger';
import { harnessClient, suiteServer } from './clientHarness';

const longInstructions = 'You answer questions about Lumen Notes billing and accounts. '.repeat(120);

function request(question: string, extra: Record<string, unknown> = {}) {
  return {
    model: 'gpt-5-mini',
    messages: [
      { role: 'system' as const, content: longInstructions },
      { role: 'user' as const, content: question },
    ],
    max_completion_tokens: 1000,
    reasoning_effort: 'low' as const,
    ...extra,
  };
}

describe('the client through the Responses API', () => {
  const suite = suiteServer();

  test('streams into onDelta, retries, caches under its own key and records usage from the Responses shape', async () => {
    const directory = await suite.scratch.directory();
    // Roomy limits: the client's default (30k TPM) would pace these 2,300-token requests for seconds.
    const { client } = harnessClient(suite.server.url, directory, {
      limits: { default: { tokensPerMinute: 1_000_000, requestsPerMinute: 10_000 } },
    });
    suite.server.configure({ script: ['500', 'malformed', 'ok'] });
    const deltas: ChatDelta[] = [];
    const first = await client.chat(request('How do I cancel?', { stream: true }), {
      api: 'responses',
      onDelta: (delta) => deltas.push(delta),
    });
    const text = first.response.choices[0]?.message.content ?? '';
    assert.match(text, /^Answer: [0-9a-f]{8}/);
    assert.equal(deltas.map((delta) => delta.content).join(''), text);
    assert.ok(deltas.length > 1, 'the answer arrived in pieces');
    assert.equal(first.retries, 2, 'a 500 and a broken stream were retried');
    assert.equal(first.truncated, undefined);
    assert.ok(first.usage.reasoningTokens > 0);
    const second = await client.chat(request('How do I upgrade?'), { api: 'responses' });
    assert.ok(
      second.usage.cachedTokens >= 1024 && second.usage.cachedTokens % 128 === 0,
      `cached ${second.usage.cachedTokens}`,
    );
    assert.equal(
      (await client.chat(request('How do I cancel?'), { api: 'responses' })).cache,
      'memory',
      'streamed and plain share the key',
    );
    assert.equal(
      (await client.chat(request('How do I cancel?'))).cache,
      'miss',
      'the same body through Chat Completions is another answer',
    );
    assert.equal(await client.hasCachedAnswer(request('How do I upgrade?'), 'responses'), true);
    assert.equal(suite.server.stats().byEndpoint['POST /v1/responses'], 4, 'two failed attempts, two answers');
    await client.close();
    const { entries } = await readLedger(path.join(directory, 'ledger.jsonl'));
    assert.deepEqual(
      entries.map((entry) => [entry.endpoint, entry.cache]),
      [
        ['responses', 'miss'],
        ['responses', 'miss'],
        ['responses', 'memory'],
        ['chat.completions', 'miss'],
      ],
    );
    assert.deepEqual(entries[1]?.usage, second.usage);
  });

  test('a cap used up by reasoning is truncated; a parameter Responses lacks fails before anything is sent', async () => {
    const directory = await suite.scratch.directory();
    const { client } = harnessClient(suite.server.url, directory);
    const cut = await client.chat(
      { model: 'gpt-5-nano', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 16 },
      { api: 'responses' },
    );
    assert.deepEqual(cut.truncated, { finishReason: 'length', empty: true });
    await assert.rejects(
      client.chat(request('x', { stop: ['\n'] }), { api: 'responses' }),
      (error: unknown) => error instanceof PromptMeterError && /'stop'/.test(error.message),
    );
    const rejected = await client
      .chat({ model: 'gpt-5-nano', messages: [{ role: 'user', content: 'hi' }], temperature: 0 }, { api: 'responses' })
      .catch((error: unknown) => error);
    assert.ok(
      rejected instanceof PromptMeterError && rejected.status === 400 && rejected.code === 'unsupported_value',
      String(rejected),
    );
    assert.equal(suite.server.stats().byEndpoint['POST /v1/responses'], 2);
    await client.close();
  });
});
