import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RunStore } from '../../src/core/runs/runStore';
import { chatJob } from '../support/runJobs';

const result = (jobId: string) => ({
  jobId,
  file: 'f',
  model: 'gpt-4o-mini',
  output: 'ok',
  costUsd: 0.001,
  cache: 'miss',
  usage: { promptTokens: 1, cachedTokens: 0, completionTokens: 1, reasoningTokens: 0 },
  finishedAt: '2026-11-26T00:00:00Z',
});

describe('run folders', () => {
  it('stores jobs and results, and reopens them by id', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    const folder = store.create('prompts', [chatJob('a', 'q1'), chatJob('b', 'q2')], 0.002);
    folder.appendResult(result('a'));
    folder.saveIndex({ status: 'running' });
    folder.close();
    const reopened = store.open(folder.id);
    assert.deepEqual(
      reopened.jobs().map((job) => job.id),
      ['a', 'b'],
    );
    assert.deepEqual([...reopened.results().keys()], ['a']);
    assert.equal(reopened.index.status, 'running');
    assert.deepEqual(
      store.list().map((run) => run.id),
      [folder.id],
    );
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
  it('rebuilds a missing or torn run.json from jobs.jsonl + results.jsonl, with a notice naming the file', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    const folder = store.create('prompts', [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q3')], 0.0003);
    folder.appendResult(result('a'));
    folder.appendResult({ ...result('b'), costUsd: 0, error: { message: 'HTTP 500' } });
    folder.appendResult({ ...result('c'), costUsd: null });
    folder.close();
    const indexFile = path.join(folder.directory, 'run.json');
    writeFileSync(indexFile, readFileSync(indexFile, 'utf8').slice(0, 60));
    const torn = store.open(folder.id);
    assert.match(
      torn.notice ?? '',
      new RegExp(
        `^${indexFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(.+\\): rebuilt it from jobs.jsonl and results.jsonl \\(3 of 3 jobs have a result\\)\\.$`,
      ),
    );
    assert.deepEqual(torn.index.jobs, { total: 3, done: 3, failed: 1, truncated: 0, pending: 0 });
    assert.deepEqual(
      torn.index.cost,
      { usd: null, knownUsd: 0.001, unpriced: 1 },
      'an unpriced answer is unknown, not $0',
    );
    assert.equal(torn.index.costUsd, null);
    assert.equal(JSON.parse(readFileSync(indexFile, 'utf8')).id, folder.id, 'the rebuilt index is saved');
    assert.equal(store.open(folder.id).notice, undefined, 'and read normally next time');
    unlinkSync(indexFile);
    assert.match(store.open('last').notice ?? '', /run\.json is missing: rebuilt/);
  });
  it('reads a run.json written before `cost` existed as fully known', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    const folder = store.create('prompts', [chatJob('a', 'q1')], 0.0001);
    const indexFile = path.join(folder.directory, 'run.json');
    const old = JSON.parse(readFileSync(indexFile, 'utf8'));
    delete old.cost;
    writeFileSync(indexFile, JSON.stringify({ ...old, costUsd: 0.25 }));
    assert.deepEqual(store.open(folder.id).index.cost, { usd: 0.25, knownUsd: 0.25, unpriced: 0 });
    assert.deepEqual(store.list()[0]!.cost, { usd: 0.25, knownUsd: 0.25, unpriced: 0 });
  });
  it('says which run is missing', () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-runs-')));
    assert.throws(() => store.open('nope'), /No run "nope"/);
  });
});
