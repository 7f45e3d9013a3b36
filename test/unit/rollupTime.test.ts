import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeMs } from '../../src/core/report/ledgerTime';

test('timeMs reads a ledger time exactly as Date.parse does, the form toISOString writes and any other', () => {
  const times = [
    '2026-11-20T18:00:00.000Z',
    '2026-12-31T23:59:59.999Z',
    '2028-02-29T12:00:00.000Z',
    '2000-02-29T00:00:00.000Z',
    // Days a month does not have, out-of-range fields, other forms: whatever Date.parse says.
    '2026-02-29T12:00:00.000Z',
    '1900-02-29T12:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-00-10T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-10T24:00:00.000Z',
    '2026-01-10T23:60:00.000Z',
    '0099-01-01T00:00:00.000Z',
    '2026-11-20T18:00:00Z',
    '2026-11-20T18:00:00.000+01:00',
    '2026-11-20',
    'not a time',
    '2026-1a-20T18:00:00.000Z',
    '',
  ];
  for (const time of times)
    assert.ok(Object.is(timeMs(time), Date.parse(time)), `${time}: ${timeMs(time)} ≠ ${Date.parse(time)}`);
  for (let ms = Date.UTC(1970, 0, 1); ms < Date.UTC(2100, 0, 1); ms += 7_919_999_937) {
    const time = new Date(ms).toISOString();
    assert.equal(timeMs(time), ms, time);
  }
});
