// A base URL with credentials (`http://user:pass@host/v1`, issue 11 item 4): they are sent as an Authorization
// header the server checks, and no message, ledger entry or cache file carries them.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { Scratch, ask, filesUnder, harnessClient } from './clientHarness';

const PASSWORD = 'pw-Zq81-never-shown';

function withCredentials(url: string, password = PASSWORD): string {
  return url.replace('http://', `http://proxy-user:${encodeURIComponent(password)}@`);
}

async function closedPortUrl(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  return `http://127.0.0.1:${port}/v1`;
}

describe('credentials in the base URL', () => {
  let server: TestServer;
  const scratch = new Scratch();
  before(async () => {
    server = await startTestServer({ basicAuth: `proxy-user:${PASSWORD}` });
  });
  after(async () => {
    await server.close();
    await scratch.cleanUp();
  });

  test('are sent as Authorization: Basic (the server admits the call) and written nowhere', async () => {
    const directory = await scratch.directory();
    const { client, ledger } = harnessClient(withCredentials(server.url), directory);
    const answer = await client.chat(ask('through a basic-auth proxy'));
    await client.close();
    assert.equal(answer.cache, 'miss');
    assert.equal(server.stats().completionsServed, 1);
    assert.equal((await ledger.read()).entries.length, 1);
    for (const file of await filesUnder(directory)) {
      assert.doesNotMatch(await readFile(file, 'latin1'), new RegExp(PASSWORD), `${file} holds the password`);
    }
  });

  test('a wrong password is refused by the server, and the error does not carry it', async () => {
    const { client } = harnessClient(withCredentials(server.url, 'pw-wrong-Zq81-hidden'), await scratch.directory());
    const error = await client.chat(ask('wrong password')).then(
      () => undefined,
      (failure: Error) => failure,
    );
    await client.close();
    assert.ok(error, 'the call should fail');
    assert.equal((error as { reason?: string }).reason, 'authentication');
    assert.doesNotMatch(`${error.message} ${String((error as { action?: string }).action)}`, /pw-wrong|proxy-user/);
  });

  test('an unreachable host is named without the credentials', async () => {
    const url = await closedPortUrl();
    const { client } = harnessClient(withCredentials(url), await scratch.directory(), {
      retry: { baseDelayMs: 1, maxDelayMs: 2, retries: 1 },
    });
    const error = await client.chat(ask('nobody listens')).then(
      () => undefined,
      (failure: Error) => failure,
    );
    await client.close();
    assert.ok(error, 'the call should fail');
    assert.ok(error.message.includes(url), `the message names ${url}: ${error.message}`);
    assert.doesNotMatch(error.message, new RegExp(`${PASSWORD}|proxy-user`));
  });
});
