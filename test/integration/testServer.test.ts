import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, toFile } from 'openai';
import { get_encoding } from 'tiktoken';
import {
  canonicalRequestKey,
  cosineSimilarity,
  formatResetDuration,
  parseResetDuration,
  startTestServer,
  type TestServer,
} from '../server/index';

const encoding = get_encoding('o200k_base');
const RATE_DOCS = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

function client(server: TestServer, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, ...extra });
}

/** Prompt tokens the way OpenAI bills one user message: 3 framing + role + content, +3 reply priming. */
function userPromptTokens(text: string): number {
  return 3 + encoding.encode('user').length + encoding.encode(text, [], []).length + 3;
}

function post(
  server: TestServer,
  route: string,
  body: unknown,
  headers: Record<string, string> = { authorization: 'Bearer test' },
): Promise<Response> {
  return fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the request to fail');
}

async function apiError(promise: Promise<unknown>): Promise<APIError> {
  const error = await rejection(promise);
  assert.ok(error instanceof APIError, `expected an APIError, got ${String(error)}`);
  return error;
}

const ask = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: text }],
  ...extra,
});

describe('test server', () => {
  let server: TestServer;
  let openai: OpenAI;
  before(async () => {
    server = await startTestServer({ streamChunkDelayMs: 1 });
    openai = client(server);
  });
  afterEach(() => {
    server.configure({
      rpm: undefined,
      tpm: undefined,
      limitsByModel: {},
      contextWindows: {},
      latencyMs: 0,
      slowMs: 30_000,
      batchFailCustomIds: [],
      batchExpireAfterLines: undefined,
      batchDurationMs: 300,
    });
    server.reset();
  });
  after(async () => {
    await server.close();
    encoding.free();
  });

  test('chat answers deterministically with OpenAI usage and a request id', async () => {
    const { data, response } = await openai.chat.completions.create(ask('What is a token?')).withResponse();
    assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
    assert.equal(data.object, 'chat.completion');
    assert.match(data.choices[0]?.message.content ?? '', /^Answer: [0-9a-f]{8} /);
    assert.equal(data.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(
      [data.usage?.prompt_tokens, data.usage?.completion_tokens],
      [userPromptTokens('What is a token?'), 60],
    );
    assert.equal(data.usage?.total_tokens, userPromptTokens('What is a token?') + 60);
    const again = await openai.chat.completions.create(ask('What is a token?'));
    assert.equal(again.choices[0]?.message.content, data.choices[0]?.message.content);
  });

  test('max_tokens truncates with finish_reason length, n gives n choices, reasoning models report reasoning tokens', async () => {
    // By default a capped request is answered within half its cap (a short answer was asked for)…
    const within = await openai.chat.completions.create(ask('Explain caching', { max_tokens: 7, n: 3 }));
    assert.ok(within.choices.every((choice) => choice.finish_reason === 'stop'));
    assert.equal(within.usage?.completion_tokens, 9);
    // …and with answerWithinCap off, the 60-token answer is cut at the cap.
    server.configure({ answerWithinCap: false });
    const short = await openai.chat.completions.create(ask('Explain caching', { max_tokens: 7, n: 3 }));
    server.configure({ answerWithinCap: true });
    assert.equal(short.choices.length, 3);
    assert.ok(short.choices.every((choice) => choice.finish_reason === 'length'));
    assert.equal(short.usage?.completion_tokens, 21);
    const reasoning = await openai.chat.completions.create({
      ...ask('Plan a trip'),
      model: 'gpt-5-mini',
      max_completion_tokens: 500,
    });
    const reasoningTokens = reasoning.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    assert.ok(reasoningTokens > 0);
    assert.equal(reasoning.usage?.completion_tokens, reasoningTokens + 60);
    const special = await openai.chat.completions.create(ask('say <|endoftext|> literally'));
    assert.equal(special.usage?.prompt_tokens, userPromptTokens('say <|endoftext|> literally'));
  });

  test('streaming splits the answer into chunks and sends usage last with include_usage', async () => {
    const plain = await openai.chat.completions.create(ask('Stream this'));
    const stream = await openai.chat.completions.create({
      ...ask('Stream this'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    assert.equal(content, plain.choices[0]?.message.content);
    assert.ok(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length > 3);
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.deepEqual(last?.usage, plain.usage);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage === null));
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'stop');
  });

  test('prompt caching reports a shared prefix of 1024+ tokens in steps of 128', async () => {
    const system = Array.from({ length: 1400 }, (_, index) => `w${index}`).join(' ');
    const messages = (question: string) => [
      { role: 'system' as const, content: system },
      { role: 'user' as const, content: question },
    ];
    const first = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('first?') });
    const second = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('second?') });
    assert.equal(first.usage?.prompt_tokens_details?.cached_tokens, 0);
    const cached = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    assert.ok(cached >= 1024 && cached % 128 === 0 && cached <= (second.usage?.prompt_tokens ?? 0), `cached ${cached}`);
  });

  test('embeddings make paraphrases similar and unrelated texts dissimilar', async () => {
    const texts = ['How do I reset my password?', 'how can I reset my password', 'What is the capital of France?'];
    const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: texts });
    const [reset, paraphrase, unrelated] = result.data.map((item) => item.embedding);
    assert.equal(reset?.length, 256);
    assert.ok(cosineSimilarity(reset ?? [], paraphrase ?? []) > 0.8);
    assert.ok(cosineSimilarity(reset ?? [], unrelated ?? []) < 0.5);
    const expectedTokens = texts.reduce((sum, text) => sum + encoding.encode(text).length, 0);
    assert.deepEqual(result.usage, { prompt_tokens: expectedTokens, total_tokens: expectedTokens });
    const small = await openai.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'hello',
      dimensions: 32,
      encoding_format: 'float',
    });
    assert.equal(small.data[0]?.embedding.length, 32);
    assert.deepEqual([server.stats().embeddingsServed, server.stats().inputsEmbedded], [2, 4]);
  });

  test('models list and retrieve', async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    assert.ok(['gpt-4o-mini', 'gpt-6-sol', 'o3', 'text-embedding-3-large'].every((id) => ids.includes(id)));
    assert.equal((await openai.models.retrieve('gpt-5')).id, 'gpt-5');
    assert.equal((await apiError(openai.models.retrieve('gpt-9'))).status, 404);
  });

  test('401 without a key, 404 for an unknown model, 400 for bad bodies and too-long prompts', async () => {
    const noKey = await post(server, '/chat/completions', ask('hi'), {});
    assert.equal(noKey.status, 401);
    assert.equal(((await noKey.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    const unknown = await apiError(openai.chat.completions.create({ ...ask('hi'), model: 'gpt-9' }));
    assert.deepEqual([unknown.status, unknown.code], [404, 'model_not_found']);
    assert.equal((await post(server, '/chat/completions', '{"model":')).status, 400);
    const noMessages = await post(server, '/chat/completions', { model: 'gpt-4o-mini' });
    assert.equal(((await noMessages.json()) as { error: { param: string } }).error.param, 'messages');
    server.configure({ contextWindows: { 'gpt-4o-mini': 100 } });
    const tooLong = await apiError(openai.chat.completions.create(ask('word '.repeat(200))));
    assert.deepEqual([tooLong.status, tooLong.code, tooLong.param], [400, 'context_length_exceeded', 'messages']);
  });

  test('RPM limit: 429 with OpenAI body, retry headers and reset formats', async () => {
    server.configure({ rpm: 60 });
    const models = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer test' } });
    assert.equal(models.headers.get('x-ratelimit-remaining-requests'), '60');
    const first = await post(server, '/chat/completions', ask('one'));
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '0');
    const limited = await post(server, '/chat/completions', ask('two'));
    assert.equal(limited.status, 429);
    const body = (await limited.json()) as { error: { message: string } };
    const match =
      /^Rate limit reached for gpt-4o-mini in organization org-test on requests per min \(RPM\): Limit 60, Used 60, Requested 1\. Please try again in (\S+)\. (.*)$/.exec(
        body.error.message,
      );
    assert.ok(match, body.error.message);
    assert.equal(match[2], RATE_DOCS);
    assert.deepEqual(body.error, {
      message: body.error.message,
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    const retryMilliseconds = Number(limited.headers.get('retry-after-ms'));
    assert.ok(retryMilliseconds > 0 && retryMilliseconds <= 1000);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.ok(Math.abs((parseResetDuration(match[1] ?? '') ?? -1) - retryMilliseconds) <= 1);
    assert.ok((parseResetDuration(limited.headers.get('x-ratelimit-reset-requests') ?? '') ?? 0) > 0);
    await delay(retryMilliseconds + 20);
    assert.equal((await post(server, '/chat/completions', ask('three'))).status, 200);
    assert.equal(server.stats().rateLimited, 1);
    server.configure({ rpm: 6000 });
    const scaled = await post(server, '/chat/completions', ask('four'));
    const remaining = Number(scaled.headers.get('x-ratelimit-remaining-requests'));
    assert.ok(remaining >= 5940 && remaining < 6000, `remaining ${remaining}`);
    server.configure({ rpm: undefined, limitsByModel: { 'gpt-4o': { rpm: 60 } } });
    assert.deepEqual(
      [
        (await post(server, '/chat/completions', { ...ask('a'), model: 'gpt-4o' })).status,
        (await post(server, '/chat/completions', { ...ask('b'), model: 'gpt-4o' })).status,
      ],
      [200, 429],
    );
    const otherModel = await post(server, '/chat/completions', ask('c'));
    assert.deepEqual([otherModel.status, otherModel.headers.get('x-ratelimit-limit-requests')], [200, null]);
  });

  test('TPM limit: request too large, then tokens 429 for a bucket in debt', async () => {
    server.configure({ tpm: 600 });
    const weight = userPromptTokens('big') + 1000;
    const tooLarge = await apiError(openai.chat.completions.create(ask('big', { max_tokens: 1000 })));
    assert.equal(tooLarge.status, 429);
    assert.deepEqual(tooLarge.error, {
      message: `Request too large for gpt-4o-mini in organization org-test on tokens per min (TPM): Limit 600, Requested ${weight}. The input or output tokens must be reduced in order to run successfully. ${RATE_DOCS}`,
      type: 'tokens',
      param: null,
      code: 'rate_limit_exceeded',
    });
    await openai.chat.completions.create(ask('fits', { max_tokens: 100 }));
    const limited = await apiError(openai.chat.completions.create(ask('next', { max_tokens: 10 })));
    const requested = userPromptTokens('next') + 10;
    assert.match(
      limited.message,
      new RegExp(
        `on tokens per min \\(TPM\\): Limit 600, Used 600, Requested ${requested}\\. Please try again in \\d+(\\.\\d+)?s\\.`,
      ),
    );
    assert.equal(limited.type, 'tokens');
    assert.equal(limited.headers?.get('x-ratelimit-remaining-tokens'), '0');
  });

  test('insufficient_quota after N successful requests', async () => {
    server.configure({ quotaAfterRequests: 1 });
    await openai.chat.completions.create(ask('ok'));
    const response = await post(server, '/chat/completions', ask('no money'));
    assert.equal(response.status, 429);
    assert.deepEqual(await response.json(), {
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    });
    assert.equal(server.stats().insufficientQuota, 1);
  });

  test('every scripted fault kind is observed by the SDK', async () => {
    server.configure({
      script: ['500', '503', '408', '409', '429', 'quota', 'reset', 'malformed', 'slow', 'ok'],
      slowMs: 2000,
    });
    for (const status of [500, 503, 408, 409])
      assert.equal((await apiError(openai.chat.completions.create(ask('f')))).status, status);
    assert.equal((await apiError(openai.chat.completions.create(ask('f')))).code, 'rate_limit_exceeded');
    assert.equal(
      (await apiError(openai.embeddings.create({ model: 'text-embedding-3-small', input: 'f' }))).code,
      'insufficient_quota',
    );
    const reset = await rejection(openai.chat.completions.create(ask('f')));
    assert.ok(reset instanceof APIConnectionError && !(reset instanceof APIConnectionTimeoutError));
    assert.ok((await rejection(openai.chat.completions.create(ask('f')))) instanceof Error);
    const slow = await rejection(client(server, { timeout: 200 }).chat.completions.create(ask('f')));
    assert.ok(slow instanceof APIConnectionTimeoutError);
    await openai.chat.completions.create(ask('f'));
    const stats = server.stats();
    assert.deepEqual(stats.faultsInjected, {
      error500: 1,
      error503: 1,
      error408: 1,
      error409: 1,
      rateLimit: 1,
      quota: 1,
      connectionReset: 1,
      malformedJson: 1,
      slow: 1,
    });
    assert.equal(stats.completionsServed, 1);
  });

  test('seeded fault probabilities repeat after reset, and a malformed stream breaks the SDK', async () => {
    const seeded = await startTestServer({ faults: { error500: 0.4 }, seed: 7 });
    const seededClient = client(seeded);
    const run = async () => {
      const outcomes = [];
      for (let index = 0; index < 16; index += 1) {
        outcomes.push(
          await seededClient.chat.completions.create(ask(`q${index}`)).then(
            () => 200,
            (error: APIError) => error.status,
          ),
        );
      }
      return outcomes;
    };
    try {
      const first = await run();
      seeded.reset();
      assert.deepEqual(await run(), first);
      assert.ok(first.includes(500) && first.includes(200));
      seeded.configure({ faults: { malformedJson: 1 } });
      const stream = await seededClient.chat.completions.create({ ...ask('s'), stream: true });
      await assert.rejects(async () => {
        for await (const chunk of stream) void chunk;
      });
    } finally {
      await seeded.close();
    }
  });

  test('stats count duplicates per canonical request and peak concurrency', async () => {
    server.configure({ latencyMs: 60 });
    const body = ask('same job', { temperature: 0 });
    await Promise.all([
      openai.chat.completions.create(body),
      openai.chat.completions.create(ask('other job')),
      openai.chat.completions.create({ ...body, user: 'x' }),
    ]);
    const stats = server.stats();
    assert.equal(stats.completionsServed, 3);
    assert.equal(stats.duplicateCompletions, 1);
    assert.equal(stats.answeredByKey[canonicalRequestKey(body)], 2);
    assert.equal(stats.answeredByKey[canonicalRequestKey(ask('other job'))], 1);
    assert.equal(canonicalRequestKey({ ...body, n: 1, stream: true }), canonicalRequestKey(body));
    assert.notEqual(canonicalRequestKey({ ...body, temperature: 0.5 }), canonicalRequestKey(body));
    assert.equal(stats.peakConcurrency, 3);
    assert.deepEqual([stats.requests, stats.byEndpoint['POST /v1/chat/completions'], stats.byStatus['200']], [3, 3, 3]);
  });

  test('control endpoints configure, report and reset out of process', async () => {
    const control = server.url.replace(/\/v1$/, '/_control');
    assert.equal(
      (await fetch(`${control}/config`, { method: 'POST', body: JSON.stringify({ script: ['503'] }) })).status,
      200,
    );
    assert.equal((await post(server, '/chat/completions', ask('x'))).status, 503);
    const stats = (await (await fetch(`${control}/stats`)).json()) as { byStatus: Record<string, number> };
    assert.equal(stats.byStatus['503'], 1);
    await fetch(`${control}/reset`, { method: 'POST' });
    assert.equal(server.stats().requests, 0);
    assert.equal((await fetch(`${control}/config`, { method: 'POST', body: '{"rmp":1}' })).status, 400);
  });

  describe('files and batches', () => {
    const line = (customId: string, text: string, url = '/v1/chat/completions') =>
      JSON.stringify({ custom_id: customId, method: 'POST', url, body: ask(text) });
    const upload = async (lines: string[]) =>
      (
        await openai.files.create({
          file: await toFile(Buffer.from(lines.join('\n')), 'input.jsonl'),
          purpose: 'batch',
        })
      ).id;
    const createBatch = async (lines: string[]) =>
      openai.batches.create({
        input_file_id: await upload(lines),
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        metadata: { job: 'test' },
      });
    const settle = async (id: string) => {
      const seen: string[] = [];
      for (let attempt = 0; attempt < 300; attempt += 1) {
        const batch = await openai.batches.retrieve(id);
        if (seen.at(-1) !== batch.status) seen.push(batch.status);
        if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return { batch, seen };
        await delay(10);
      }
      assert.fail(`batch ${id} did not settle`);
    };
    const fileLines = async (id: string | null | undefined) => {
      assert.ok(id);
      const text = await (await openai.files.content(id)).text();
      return text
        .trim()
        .split('\n')
        .map(
          (raw) =>
            JSON.parse(raw) as {
              custom_id: string;
              response: { status_code: number; body: { object?: string } } | null;
              error: { code: string } | null;
            },
        );
    };

    test('happy path: validating → in_progress → finalizing → completed with an output file', async () => {
      const uploaded = await upload([line('a', 'one')]);
      assert.equal((await openai.files.retrieve(uploaded)).purpose, 'batch');
      assert.equal(await (await openai.files.content(uploaded)).text(), line('a', 'one'));
      const created = await createBatch([line('a', 'one'), line('b', 'two'), line('c', 'three')]);
      assert.deepEqual([created.status, created.metadata], ['validating', { job: 'test' }]);
      const { batch, seen } = await settle(created.id);
      const lifecycle = ['validating', 'in_progress', 'finalizing', 'completed'];
      assert.deepEqual(
        seen,
        lifecycle.filter((status) => seen.includes(status)),
        `statuses out of order: ${seen.join(' → ')}`,
      );
      assert.ok(
        seen.includes('in_progress') &&
          batch.in_progress_at !== null &&
          batch.finalizing_at !== null &&
          batch.completed_at !== null,
      );
      assert.deepEqual(batch.request_counts, { total: 3, completed: 3, failed: 0 });
      const output = await fileLines(batch.output_file_id);
      assert.deepEqual(
        output.map((entry) => [entry.custom_id, entry.response?.status_code, entry.response?.body.object, entry.error]),
        [
          ['a', 200, 'chat.completion', null],
          ['b', 200, 'chat.completion', null],
          ['c', 200, 'chat.completion', null],
        ],
      );
      assert.equal(batch.error_file_id, null);
      assert.equal(server.stats().answeredByKey[canonicalRequestKey(ask('two'))], 1);
      assert.deepEqual(
        [server.stats().batchesCreated, server.stats().batchLinesAnswered, server.stats().completionsServed],
        [1, 3, 0],
      );
      assert.equal((await openai.batches.list()).data[0]?.id, created.id);
      assert.equal((await openai.files.delete(uploaded)).deleted, true);
    });

    test('partial failure puts the failing custom_ids in the error file', async () => {
      server.configure({ batchFailCustomIds: ['b'] });
      const { batch } = await settle((await createBatch([line('a', 'one'), line('b', 'two'), line('c', 'three')])).id);
      assert.deepEqual([batch.status, batch.request_counts], ['completed', { total: 3, completed: 2, failed: 1 }]);
      assert.deepEqual(
        (await fileLines(batch.output_file_id)).map((entry) => entry.custom_id),
        ['a', 'c'],
      );
      const errors = await fileLines(batch.error_file_id);
      assert.deepEqual(
        errors.map((entry) => [entry.custom_id, entry.response?.status_code]),
        [['b', 500]],
      );
    });

    test('expiry keeps finished lines and reports the rest as expired', async () => {
      server.configure({ batchExpireAfterLines: 1 });
      const { batch } = await settle((await createBatch([line('a', 'one'), line('b', 'two'), line('c', 'three')])).id);
      assert.deepEqual([batch.status, batch.request_counts], ['expired', { total: 3, completed: 1, failed: 2 }]);
      assert.deepEqual(
        (await fileLines(batch.output_file_id)).map((entry) => entry.custom_id),
        ['a'],
      );
      assert.deepEqual(
        (await fileLines(batch.error_file_id)).map((entry) => [entry.custom_id, entry.error?.code]),
        [
          ['b', 'batch_expired'],
          ['c', 'batch_expired'],
        ],
      );
    });

    test('cancel goes through cancelling to cancelled', async () => {
      server.configure({ batchDurationMs: 1000 });
      const created = await createBatch([line('a', 'one')]);
      const cancelling = await openai.batches.cancel(created.id);
      assert.equal(cancelling.status, 'cancelling');
      const { batch } = await settle(created.id);
      assert.equal(batch.status, 'cancelled');
      assert.ok(batch.cancelled_at);
      assert.equal((await apiError(openai.batches.cancel(created.id))).status, 400);
    });

    test('invalid input lines fail the batch with errors', async () => {
      const lines = ['{not json', line('a', 'one'), line('a', 'again'), line('b', 'x', '/v1/embeddings')];
      const { batch } = await settle((await createBatch(lines)).id);
      assert.equal(batch.status, 'failed');
      assert.deepEqual(
        batch.errors?.data?.map((error) => [error.code, error.line]),
        [
          ['invalid_json_line', 1],
          ['duplicate_custom_id', 3],
          ['invalid_url', 4],
        ],
      );
    });
  });
});

test('reset durations use OpenAI notation', () => {
  assert.deepEqual([360_000, 1500, 20, 90_500, 0, 0.2].map(formatResetDuration), [
    '6m0s',
    '1.5s',
    '20ms',
    '1m30.5s',
    '0s',
    '1ms',
  ]);
  assert.deepEqual(
    ['6m0s', '1.5s', '20ms', '1m30.5s', '1h0m2s'].map(parseResetDuration),
    [360_000, 1500, 20, 90_500, 3_602_000],
  );
});

test('stand-alone main prints one JSON line, serves with its flags and stops on SIGTERM', async (context) => {
  const entry = path.join(__dirname, '..', 'server', 'main.js');
  if (!existsSync(entry)) return context.skip('main.js not built next to the tests');
  const child = spawn(process.execPath, [entry, '--port', '0', '--rpm', '5', '--faults', '{}'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve) =>
    child.stdout.once('data', (data: Buffer) => resolve(data.toString())),
  );
  const { url, port } = JSON.parse(firstLine) as { url: string; port: number };
  assert.equal(url, `http://127.0.0.1:${port}/v1`);
  const response = await fetch(`${url}/models`, { headers: { authorization: 'Bearer k' } });
  assert.equal(response.headers.get('x-ratelimit-limit-requests'), '5');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
