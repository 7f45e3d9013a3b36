import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/runStore';
import { runViewModel } from '../../src/core/runView/runViewModel';
import { isRunViewHostMessage } from '../../src/shared/runViewMessages';
import { chatJob } from '../support/runJobs';

const usage = { promptTokens: 1, cachedTokens: 0, completionTokens: 1, reasoningTokens: 0 };

describe('run view model', () => {
  it('lists every job in plan order with its status, cost and output; unknown costs stay unknown', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-run-view-')));
    const folder = store.create(
      'prompts',
      [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q3'), chatJob('d', 'q4')],
      0.01,
    );
    folder.appendResult({
      jobId: 'b',
      file: 'f',
      model: 'gpt-4o-mini',
      output: '<b>not markup</b>',
      costUsd: 0.002,
      cache: 'miss',
      usage,
      finishedAt: '2026-12-01T00:00:00Z',
    });
    folder.appendResult({
      jobId: 'a',
      file: 'f',
      model: 'gpt-4o-mini',
      output: '',
      costUsd: 0,
      cache: 'miss',
      usage,
      error: { status: 500, message: 'server error' },
      finishedAt: '2026-12-01T00:00:00Z',
    });
    folder.appendResult({
      jobId: 'c',
      file: 'f',
      model: 'gpt-4o-mini',
      output: 'cut',
      costUsd: null,
      cache: 'miss',
      usage,
      outcome: 'truncated',
      finishReason: 'length',
      finishedAt: '2026-12-01T00:00:00Z',
    });
    folder.saveIndex({ status: 'stopped', stopReason: 'quota' });
    folder.close();
    const model = runViewModel(store.open(folder.id));
    assert.deepEqual(
      model.jobs.map((job) => [job.id, job.status, job.costUsd, job.output]),
      [
        ['a', 'failed', 0, 'server error'],
        ['b', 'done', 0.002, '<b>not markup</b>'],
        ['c', 'truncated', null, 'cut'],
        ['d', 'pending', null, ''],
      ],
    );
    assert.equal(model.knownCostUsd, 0.002);
    assert.equal(model.unknownCosts, 1, 'the pending job is not counted as a cost');
    assert.equal(model.stopReason, 'quota');
    assert.ok(isRunViewHostMessage({ type: 'snapshot', run: model }));
    assert.ok(!isRunViewHostMessage({ type: 'snapshot', run: { ...model, jobs: [{ id: 1 }] } }));
  });
});
