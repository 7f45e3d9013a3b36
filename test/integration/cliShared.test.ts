import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { fakeApiKey } from '../support/fakeKeys';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { repositoryRoot } from '../support/repository';

const SECRET = fakeApiKey('cli-shared-secret');

function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-shared-'));
  cpSync(path.join(repositoryRoot(), 'examples', 'prompts'), path.join(folder, 'prompts'), { recursive: true });
  cpSync(path.join(repositoryRoot(), 'examples', 'data'), path.join(folder, 'data'), { recursive: true });
  return folder;
}

describe('promptmeter run --redis-url', () => {
  let server: TestServer;
  let redis: RedisServer;
  before(async () => {
    // Limits per model, as OpenAI has them (the runs' similarity embeddings draw from another model's).
    [server, redis] = await Promise.all([
      startTestServer({ limitsByModel: { 'gpt-4o-mini': { rpm: 600, tpm: 100_000 } }, latencyMs: 100 }),
      startRedisServer(),
    ]);
  });
  after(async () => {
    await Promise.all([server.close(), redis.stop()]);
  });

  it(
    'two runs of the same prompts at once, in workspaces with their own disk caches, pay for each answer once',
    { timeout: 120_000 },
    async () => {
      // The account's limits, told to both runs (the CLI's defaults, 500 RPM and 200 000 TPM, would earn a few
      // 429s until the headers correct them, in one process as in two).
      const args = [
        'run',
        'prompts/faq-from-dataset.prompt.md',
        '--base-url',
        server.url,
        '--json',
        '--rpm',
        '600',
        '--tpm',
        '100000',
      ];
      const [first, second] = await Promise.all([
        runCli([...args, '--redis-url', redis.url], workspace(), { OPENAI_API_KEY: SECRET }),
        runCli(args, workspace(), { OPENAI_API_KEY: SECRET, PROMPTMETER_REDIS_URL: redis.url }),
      ]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(second.code, 0, second.stderr);
      assert.doesNotMatch(first.stderr + second.stderr, /unavailable/);
      const reports = [JSON.parse(first.stdout), JSON.parse(second.stdout)] as Array<{
        requests: number;
        cacheHits: number;
      }>;
      const stats = server.stats();
      assert.equal(stats.duplicateCompletions, 0);
      assert.ok(stats.rateLimited <= 1, `${stats.rateLimited} 429s`);
      assert.equal(stats.completionsServed, 35, 'each of the 35 rows answered once');
      assert.equal(
        reports[0]!.requests + reports[1]!.requests,
        stats.requests,
        'every HTTP request (similarity embeddings too) counted by a run',
      );
      assert.ok(reports[0]!.cacheHits + reports[1]!.cacheHits >= 1, "one run got the other one's answer");
      assert.doesNotMatch(first.stderr + second.stderr, /unavailable/);
    },
  );

  it('a --redis-url that is not a redis URL is a usage error before anything is sent', async () => {
    const before = server.stats().requests;
    const result = await runCli(
      ['run', 'prompts/faq-answer.prompt.md', '--base-url', server.url, '--redis-url', 'localhost:6379'],
      workspace(),
      { OPENAI_API_KEY: SECRET },
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--redis-url must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.equal(server.stats().requests, before);
  });
});
