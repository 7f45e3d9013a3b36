import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEstimate, formatUsd } from '../../src/core/estimate/formatting';

describe('formatUsd', () => {
  it('shows sub-cent amounts with enough digits and never in exponent notation', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(123.4), '$123');
    assert.equal(formatUsd(1.234), '$1.23');
    assert.equal(formatUsd(0.0123), '$0.012');
    assert.equal(formatUsd(0.00021), '$0.00021');
    assert.equal(formatUsd(0.000089), '$0.000089');
    assert.equal(formatUsd(1.4e-7), '$0.00000014');
    assert.equal(formatUsd(7e-8), '$0.000000070');
    assert.equal(formatUsd(1e-15), '<$0.000000000001');
    assert.doesNotMatch(formatUsd(2.6e-9), /e/);
  });

  it('labels estimates and unknown prices', () => {
    assert.equal(formatEstimate(0.5), '~$0.500');
    assert.equal(formatEstimate(undefined), 'price unknown');
  });
});
