import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, wilsonInterval } from '../../src/core/compare/passStatistics';
import { sampleRowIndices } from '../../src/core/compare/sampleRows';

describe('comparison statistics', () => {
  it('Wilson interval: 19/20 is about [0.764, 0.991], 20/20 reaches 1, 0/20 starts at 0, every rate lies inside', () => {
    const [low, high] = wilsonInterval(19, 20);
    assert.ok(Math.abs(low - 0.7639) < 0.001 && Math.abs(high - 0.9911) < 0.001, `${low} ${high}`);
    assert.equal(wilsonInterval(20, 20)[1], 1);
    assert.ok(wilsonInterval(20, 20)[0] > 0.83 && wilsonInterval(20, 20)[0] < 0.84);
    assert.equal(wilsonInterval(0, 20)[0], 0);
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
    for (let passed = 0; passed <= 20; passed++) {
      const [lo, hi] = wilsonInterval(passed, 20);
      assert.ok(lo <= passed / 20 && passed / 20 <= hi, `${passed}/20 inside [${lo}, ${hi}]`);
    }
  });

  it('nearest-rank percentiles', () => {
    const values = [50, 10, 40, 20, 30, 100, 60, 70, 80, 90];
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 95), 100);
    assert.equal(percentile([7], 95), 7);
    assert.equal(percentile([], 50), 0);
  });

  it('samples rows spread over the dataset, the same for the same seed, different for another', () => {
    const picked = sampleRowIndices(400, 20, 7);
    assert.equal(picked.length, 20);
    assert.deepEqual(sampleRowIndices(400, 20, 7), picked);
    assert.notDeepEqual(sampleRowIndices(400, 20, 8), picked);
    picked.forEach((index, slice) =>
      assert.ok(index >= slice * 20 && index < (slice + 1) * 20, `row ${index} in slice ${slice}`),
    );
    assert.deepEqual(sampleRowIndices(5, 20), [0, 1, 2, 3, 4]);
  });
});
