import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recommendationTrial } from '../../bench/support/recommendationTrial';
import { startTestServer, type TestServer } from '../server';
import { fakeApiKey } from '../support/fakeKeys';

describe('every recommendation on examples/, applied with its edits, runs', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 5, rpm: 6000, tpm: 5_000_000 });
  });
  after(() => server.close());

  it(
    'is answered by the test server (which rejects what OpenAI rejects): none rejected, truncated or failed',
    { timeout: 240_000 },
    async () => {
      const rows = await recommendationTrial(server.url, fakeApiKey('recommendations'));
      const applied = rows.filter((row) => row.run);
      assert.ok(applied.length >= 10, `recommendations were applied to ${applied.length} examples`);
      for (const row of applied) {
        assert.deepEqual(
          {
            file: row.file,
            rejected: row.run!.rejected,
            refused: row.run!.refused,
            truncated: row.run!.truncated,
            failed: row.run!.failed,
          },
          { file: row.file, rejected: 0, refused: 0, truncated: 0, failed: 0 },
          `${row.file}: ${row.recommendation?.summary} → ${row.run!.sample}`,
        );
        assert.ok(row.run!.answered > 0, row.file);
      }
      // A prompt moved to a reasoning model carries its edits (drop sampling parameters, an effort the model accepts).
      const toReasoning = applied.filter((row) => row.recommendation && row.recommendation.edits > 1);
      assert.ok(toReasoning.length > 0, 'some recommendation needed edits');
    },
  );
});
