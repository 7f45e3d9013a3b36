import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { runCli } from '../support/cli';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';

const KEY = fakeApiKey('stops-early');

/** Ten prompts: a run that cannot succeed must not send ten requests to find out. */
function tenPrompts(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-stop-'));
  for (let index = 1; index <= 10; index++)
    writeFileSync(
      path.join(folder, `p${index}.prompt.md`),
      `---\nmodel: gpt-4o-mini\nmax_tokens: 20\n---\nQuestion number ${index}\n`,
    );
  return folder;
}

describe('a run stops at once what cannot succeed, and says what to do', () => {
  let server: TestServer;
  let html: Server;
  let htmlUrl = '';
  let htmlRequests = 0;
  before(async () => {
    server = await startTestServer({ latencyMs: 5, apiKey: KEY });
    html = createServer((_request, response) => {
      htmlRequests += 1;
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Welcome</title><p>It works!</p>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    const address = html.address();
    htmlUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => html.close(resolve));
  });

  it('a rejected key (401): the run stops after the calls in flight, exit 3, and says how to set a key', async () => {
    server.reset();
    const folder = tenPrompts();
    const result = await runCli(['run', '.', '--base-url', server.url, '--concurrency', '2'], folder, {
      OPENAI_API_KEY: fakeApiKey('wrong-key'),
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /run stopped: 401: .*Set a valid API key/);
    assert.ok(server.stats().requests <= 2, `${server.stats().requests} requests`);
    assert.doesNotMatch(result.stderr, new RegExp(fakeApiKey('wrong-key')));
  });

  it('a model the key may not use (403): the run stops after the calls in flight, naming the model', async () => {
    server.reset();
    server.configure({ deniedModels: ['gpt-4o-mini'] });
    try {
      const folder = tenPrompts();
      const result = await runCli(['run', '.', '--base-url', server.url, '--concurrency', '2'], folder, {
        OPENAI_API_KEY: KEY,
      });
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /run stopped: 403: .*does not have access to model `gpt-4o-mini`/);
      assert.match(result.stderr, /has access to this model, or pick another model/);
      assert.ok(server.stats().requests <= 2, `${server.stats().requests} requests for 10 jobs`);
    } finally {
      server.configure({ deniedModels: [] });
    }
  });

  it('a base URL without /v1 (404 on the route): exit 3 after the first answers, "did you mean …/v1?"', async () => {
    server.reset();
    const folder = tenPrompts();
    const root = server.url.replace(/\/v1$/, '');
    const result = await runCli(['run', '.', '--base-url', root, '--concurrency', '2'], folder, {
      OPENAI_API_KEY: KEY,
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        `${root.replace(/[.]/g, '\\.')} does not look like an OpenAI-compatible API .* did you mean ${root.replace(/[.]/g, '\\.')}/v1\\?`,
      ),
    );
    assert.ok(server.stats().requests <= 2, `${server.stats().requests} requests`);
  });

  it('a small stopped run prints each job: the unsent ones say so (never "null")', async () => {
    server.reset();
    const folder = tenPrompts();
    for (let index = 4; index <= 10; index++) rmSync(path.join(folder, `p${index}.prompt.md`));
    const root = server.url.replace(/\/v1$/, '');
    const result = await runCli(['run', '.', '--base-url', root, '--concurrency', '1'], folder, {
      OPENAI_API_KEY: KEY,
    });
    assert.equal(result.code, 3, result.stderr);
    assert.doesNotMatch(result.stdout, /^null$/m);
    assert.match(
      result.stdout,
      /── p3\.prompt\.md \(gpt-4o-mini, pending\)\n\(not sent: the run stopped before this job\)/,
    );
  });

  it('a web page answering 200: one answer is enough to stop (not 70 requests for 10 jobs); nothing unbilled in the ledger', async () => {
    htmlRequests = 0;
    const folder = tenPrompts();
    const result = await runCli(['run', '.', '--base-url', htmlUrl, '--concurrency', '1'], folder, {
      OPENAI_API_KEY: KEY,
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      /does not look like an OpenAI-compatible API \(it answered text\/html instead of JSON\)/,
    );
    assert.equal(htmlRequests, 1);
    let ledger = '';
    try {
      ledger = workspaceLedgerText(folder);
    } catch {
      ledger = '';
    }
    assert.equal(ledger.trim(), '', 'failed and unsent calls are not ledger entries');
  });

  it('a closed port: a short bounded retry, then exit 3 naming the URL', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => probe.close(resolve));
    const folder = tenPrompts();
    const result = await runCli(['run', '.', '--base-url', `http://127.0.0.1:${port}/v1`], folder, {
      OPENAI_API_KEY: KEY,
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port}/v1: connection refused`));
  });
});
