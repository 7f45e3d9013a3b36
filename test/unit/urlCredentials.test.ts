import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitBaseUrlCredentials } from '../../src/core/client/urlCredentials';

describe('credentials in a base URL', () => {
  it('are taken out of the URL and become a Basic Authorization value, percent-decoded', () => {
    const split = splitBaseUrlCredentials('https://me%40corp:p%3Ass@proxy.example/v1');
    assert.equal(split.url, 'https://proxy.example/v1');
    assert.equal(split.authorization, `Basic ${Buffer.from('me@corp:p:ss').toString('base64')}`);
  });
  it('a URL without credentials, or one that does not parse, is left as written', () => {
    assert.deepEqual(splitBaseUrlCredentials('http://127.0.0.1:8080/v1/'), { url: 'http://127.0.0.1:8080/v1/' });
    assert.deepEqual(splitBaseUrlCredentials('not a url'), { url: 'not a url' });
  });
  it('a user without a password still authenticates (user:)', () => {
    assert.equal(
      splitBaseUrlCredentials('https://token@host/v1').authorization,
      `Basic ${Buffer.from('token:').toString('base64')}`,
    );
  });
});
