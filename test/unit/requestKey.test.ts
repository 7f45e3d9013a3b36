import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheNamespaceForBaseUrl } from '../../src/core/cache/cacheNamespace';
import { canonicalJson } from '../../src/core/cache/canonicalJson';
import { requestKey } from '../../src/core/cache/requestKey';
import { fakeApiKey } from '../support/fakeKeys';

const namespace = 'https://api.openai.com/v1';
const base = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Summarise the report.' }],
  temperature: 0.2,
  max_tokens: 256,
};

describe('requestKey', () => {
  test('is a SHA-256 hex digest', () => {
    assert.match(requestKey('chat.completions', base, namespace), /^[0-9a-f]{64}$/);
  });

  test('is stable under key order, at every depth', () => {
    const reordered = {
      max_tokens: 256,
      messages: [{ content: 'Summarise the report.', role: 'user' }],
      temperature: 0.2,
      model: 'gpt-4o-mini',
    };
    assert.equal(requestKey('chat.completions', reordered, namespace), requestKey('chat.completions', base, namespace));
  });

  test('is the same for streaming and non-streaming, and ignores user / stream_options / metadata / store', () => {
    const plain = requestKey('chat.completions', base, namespace);
    const variants = [
      { ...base, stream: true },
      { ...base, stream: true, stream_options: { include_usage: true } },
      { ...base, stream: false },
      { ...base, user: 'someone@example.com' },
      { ...base, metadata: { job: '7' }, store: true, safety_identifier: 'x', prompt_cache_key: 'y' },
    ];
    for (const variant of variants)
      assert.equal(requestKey('chat.completions', variant, namespace), plain, JSON.stringify(variant));
  });

  test('differs on every answer-changing parameter', () => {
    const plain = requestKey('chat.completions', base, namespace);
    const variants: object[] = [
      { ...base, model: 'gpt-4o' },
      { ...base, temperature: 0.3 },
      { ...base, max_tokens: 257 },
      { ...base, seed: 1 },
      { ...base, n: 2 },
      { ...base, top_p: 0.9 },
      { ...base, response_format: { type: 'json_object' } },
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: {} } }] },
      { ...base, messages: [{ role: 'user', content: 'Summarise the report!' }] },
      { ...base, messages: [{ role: 'system', content: 'Summarise the report.' }] },
      { ...base, reasoning_effort: 'low' },
    ];
    const keys = new Set(variants.map((variant) => requestKey('chat.completions', variant, namespace)));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(plain));
  });

  test('differs by endpoint and by backend namespace', () => {
    const input = { model: 'text-embedding-3-small', input: 'hello' };
    assert.notEqual(requestKey('embeddings', input, namespace), requestKey('chat.completions', input, namespace));
    assert.notEqual(
      requestKey('embeddings', input, namespace),
      requestKey('embeddings', input, 'http://127.0.0.1:8080/v1'),
    );
  });

  test('array order matters (messages are a conversation)', () => {
    const two = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ];
    assert.notEqual(
      requestKey('chat.completions', { ...base, messages: two }, namespace),
      requestKey('chat.completions', { ...base, messages: [...two].reverse() }, namespace),
    );
  });
});

describe('cacheNamespaceForBaseUrl', () => {
  test('keeps scheme, host, port and path; drops credentials, query and fragment', () => {
    const secret = fakeApiKey('proj-abcdefghijklmnop');
    const namespaceWithSecrets = cacheNamespaceForBaseUrl(
      `https://user:${secret}@proxy.example.com:8443/openai/v1/?api-key=${secret}#${secret}`,
    );
    assert.equal(namespaceWithSecrets, 'https://proxy.example.com:8443/openai/v1');
    assert.doesNotMatch(namespaceWithSecrets, /sk-proj/);
  });

  test('the key never depends on the API key: the same request through URLs with different credentials', () => {
    const first = requestKey(
      'chat.completions',
      base,
      cacheNamespaceForBaseUrl(`https://alice:${fakeApiKey('aaaaaaaaaaaa')}@proxy.example.com/v1`),
    );
    const second = requestKey(
      'chat.completions',
      base,
      cacheNamespaceForBaseUrl(`https://bob:${fakeApiKey('bbbbbbbbbbbb')}@proxy.example.com/v1?key=x`),
    );
    assert.equal(first, second);
  });
});

describe('canonicalJson', () => {
  test('sorts keys, drops undefined members, keeps nulls and array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, 1], c: null, e: undefined } }), '{"a":{"c":null,"d":[3,1]},"b":1}');
  });
});
