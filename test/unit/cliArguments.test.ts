import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redisUrlFrom, UsageError } from '../../src/cli/cliArguments';

describe('redisUrlFrom', () => {
  test('the flag wins over the environment, which wins over the setting', () => {
    const env = { PROMPTMETER_REDIS_URL: 'redis://env:6379' };
    assert.equal(redisUrlFrom('redis://flag:6379', env, 'redis://setting:6379'), 'redis://flag:6379');
    assert.equal(redisUrlFrom(undefined, env, 'redis://setting:6379'), 'redis://env:6379');
    assert.equal(
      redisUrlFrom(undefined, { PROMPTMETER_REDIS_URL: '  ' }, 'redis://setting:6379'),
      'redis://setting:6379',
    );
    assert.equal(redisUrlFrom(undefined, {}, ''), '');
  });
  test('a flag or variable that is not a redis URL is a usage error naming where it came from', () => {
    assert.throws(
      () => redisUrlFrom('http://localhost:6379', {}, ''),
      (error: unknown) => error instanceof UsageError && /--redis-url must be a redis:\/\//.test(error.message),
    );
    assert.throws(
      () => redisUrlFrom(undefined, { PROMPTMETER_REDIS_URL: 'localhost:6379x' }, ''),
      /PROMPTMETER_REDIS_URL must be/,
    );
  });
});
