import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/runStore';
import { chatJob } from '../support/runJobs';

const result = (jobId: string) => ({
  jobId, file: 'f', model: 'gpt-4o-mini', output: 'ok', costUsd: 0.001, cache: 'miss',
  usage: { promptTokens: 1, cachedTokens: 0, completionTokens: 1, reasoningTokens: 0 }, finishedAt: '2026-11-26T00:00:00Z',
});

describe('run folders', () => {
  it('stores jobs and results, and reopens them by id', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    const folder = store.create('prompts', [chatJob('a', 'q1'), chatJob('b', 'q2')], 0.002);
    folder.appendResult(result('a'));
    folder.saveIndex({ status: 'running' });
    folder.close();
    const reopened = store.open(folder.id);
    assert.deepEqual(reopened.jobs().map((job) => job.id), ['a', 'b']);
    assert.deepEqual([...reopened.results().keys()], ['a']);
    assert.equal(reopened.index.status, 'running');
    assert.deepEqual(store.list().map((run) => run.id), [folder.id]);
  });
  it('survives a torn last line: the torn job is pending again and later results are intact', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    const folder = store.create('prompts', [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q3')], null);
    folder.appendResult(result('a'));
    folder.close();
    const resultsFile = path.join(folder.directory, 'results.jsonl');
    appendFileSync(resultsFile, '{"jobId":"b","file":"f","mod');
    const resumed = store.open(folder.id);
    assert.deepEqual([...resumed.results().keys()], ['a']);
    resumed.appendResult(result('c'));
    resumed.close();
    assert.deepEqual([...store.open(folder.id).results().keys()], ['a', 'c']);
    assert.equal(readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).length, 3);
  });
  it('says which run is missing', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    assert.throws(() => store.open('nope'), /No run "nope"/);
  });
});
