import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRateLimitDuration } from '../../src/core/client/durations';

describe('parseRateLimitDuration', () => {
  const cases: Array<[string, number]> = [
    ['6m0s', 360_000],
    ['1.5s', 1_500],
    ['20ms', 20],
    ['1h2m3s', 3_723_000],
    ['0s', 0],
    ['1m30.5s', 90_500],
    ['59.999s', 59_999],
    ['2h', 7_200_000],
    ['500us', 0.5],
    [' 7s ', 7_000],
    ['3', 3_000],
  ];
  for (const [text, expected] of cases) {
    test(`${JSON.stringify(text)} is ${expected} ms`, () => {
      const parsed = parseRateLimitDuration(text);
      assert.ok(parsed !== undefined);
      assert.ok(Math.abs(parsed - expected) < 1e-9, `${parsed} ≠ ${expected}`);
    });
  }

  for (const garbage of ['', 'abc', '5x', 's', 'ms', '1.2.3s', '-1s', '1s garbage', '1 s', 'NaNs', 'Infinity']) {
    test(`${JSON.stringify(garbage)} is not a duration`, () => {
      assert.equal(parseRateLimitDuration(garbage), undefined);
    });
  }

  test('a missing header is not a duration', () => {
    assert.equal(parseRateLimitDuration(null), undefined);
    assert.equal(parseRateLimitDuration(undefined), undefined);
  });
});
