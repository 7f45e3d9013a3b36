import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { PromptMeterError } from '../../src/core/client/errors';
import { ETA_AFTER_JOBS, executeRun, type RunClient, type RunProgress } from '../../src/core/runs/executeRun';
import { RunStore } from '../../src/core/runs/runStore';
import { chatJob } from '../support/runJobs';

/** A client whose every call takes `secondsPerCall` on the injected clock; questions starting "fail" get a 500. */
function slowClient(clock: { now: number }, secondsPerCall: number, costUsd: number | null = 0.001): RunClient {
  return {
    chat: (request) => {
      clock.now += secondsPerCall * 1000;
      const question = String((request.messages[0] as { content: string }).content);
      if (question.startsWith('fail'))
        return Promise.reject(new PromptMeterError({ reason: 'server', status: 500, message: 'HTTP 500' } as never));
      const response = {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            logprobs: null,
            message: { role: 'assistant', content: `answer to ${question}`, refusal: null },
          },
        ],
      } as ChatCompletion;
      return Promise.resolve({
        response,
        cache: 'miss',
        retries: 0,
        latencyMs: 0,
        usage: { promptTokens: 1, cachedTokens: 0, completionTokens: 1, reasoningTokens: 0 },
        costUsd,
        requestKey: question,
      });
    },
    embed: () => Promise.reject(new Error('not used')),
  };
}

describe('executeRun', () => {
  it('gives no ETA until a few jobs finished, then the live rate (jobs per second so far) times what is left', async () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-exec-')));
    const folder = store.create(
      'prompts',
      Array.from({ length: 10 }, (_, index) => chatJob(`j${index}`, `q${index}`)),
      0.001,
    );
    const clock = { now: 0 };
    const seen: RunProgress[] = [];
    await executeRun(folder, slowClient(clock, 2), {
      parallelism: 1,
      clock: () => clock.now,
      onProgress: (progress) => seen.push(progress),
    });
    assert.deepEqual(
      seen.slice(0, ETA_AFTER_JOBS - 1).map((progress) => progress.etaSeconds),
      [undefined, undefined],
    );
    // 2 s per job on the injected clock: after 4 jobs, 6 are left → 12 s, whatever the plan guessed.
    assert.equal(seen[3]!.etaSeconds, 12);
    assert.equal(seen[9]!.etaSeconds, 0);
  });

  it('counts failures in done and failed, and an unpriced answer as unknown cost', async () => {
    const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-exec-')));
    const folder = store.create(
      'prompts',
      [chatJob('a', 'q1'), chatJob('b', 'fail q2'), chatJob('c', 'q3', { costUsd: null })],
      0.001,
    );
    const clock = { now: 0 };
    const first = await executeRun(folder, slowClient(clock, 1), { clock: () => clock.now });
    assert.deepEqual([first.progress.done, first.progress.failed, first.progress.pending], [3, 1, 0]);
    assert.deepEqual(folder.index.jobs, { total: 3, done: 3, failed: 1, truncated: 0, pending: 0 });
    assert.deepEqual(folder.index.cost, { usd: 0.002, knownUsd: 0.002, unpriced: 0 });
    const unpriced = store.create('prompts', [chatJob('a', 'q1')], null);
    const answered = await executeRun(unpriced, slowClient(clock, 1, null), { clock: () => clock.now });
    assert.deepEqual(
      answered.progress.cost,
      { usd: null, knownUsd: 0, unpriced: 1 },
      'an answer without a price is unknown, not $0',
    );
    assert.equal(unpriced.index.costUsd, null);
  });
});
