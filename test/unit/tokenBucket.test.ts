import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenBucket } from '../../src/core/client/tokenBucket';

describe('TokenBucket', () => {
  test('starts full and refills continuously at perMinute / 60 000 per ms, up to capacity', () => {
    const bucket = new TokenBucket(600, 10, 0);
    assert.equal(bucket.level(0), 10);
    bucket.take(10, 0);
    assert.equal(bucket.level(0), 0);
    assert.equal(bucket.level(500), 5);
    assert.equal(bucket.level(100_000), 10);
  });

  test('timeUntil is the exact wait for the missing units', () => {
    const bucket = new TokenBucket(60_000, 1_000, 0);
    bucket.take(1_000, 0);
    assert.equal(bucket.timeUntil(250, 0), 250);
    assert.equal(bucket.timeUntil(250, 100), 150);
    assert.equal(bucket.timeUntil(250, 250), 0);
  });

  test('a weight above the burst waits for a full bucket, then leaves it in debt', () => {
    const bucket = new TokenBucket(600, 10, 0);
    bucket.take(5, 0);
    assert.equal(bucket.timeUntil(50, 0), 500);
    bucket.take(50, 500);
    assert.equal(bucket.level(500), -40);
    assert.equal(bucket.timeUntil(1, 500), 4_100);
  });

  test('adjust is clamped to [-perMinute, capacity]', () => {
    const bucket = new TokenBucket(600, 10, 0);
    bucket.adjust(100, 0);
    assert.equal(bucket.level(0), 10);
    bucket.adjust(-10_000, 0);
    assert.equal(bucket.level(0), -600);
  });

  test('a new per-minute limit scales the burst with it', () => {
    const bucket = new TokenBucket(600, 10, 0);
    bucket.setPerMinute(1_200, 0);
    assert.equal(bucket.capacity, 20);
    assert.equal(bucket.ratePerMs, 0.02);
    bucket.setCapacity(4, 0);
    assert.equal(bucket.level(0), 4);
  });

  test('rejects non-positive limits', () => {
    assert.throws(() => new TokenBucket(0, 1, 0), RangeError);
    assert.throws(() => new TokenBucket(10, -1, 0), RangeError);
  });
});
