import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { repositoryRoot } from '../support/repository';
import { fakeApiKey } from '../support/fakeKeys';
import { workspaceLedgerText } from '../support/ledgerText';

const root = repositoryRoot();
const secret = fakeApiKey('test-secret-123');

function start(
  args: string[],
  cwd: string,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'promptmeter.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, OPENAI_API_KEY: secret },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done };
}

/** The run.json of the only run in the workspace, once it names a batch (bounded wait). */
async function runWithBatch(workspace: string): Promise<{ id: string; batchApi: { batchId: string; status: string } }> {
  const runs = path.join(workspace, '.promptmeter', 'runs');
  for (let attempt = 0; attempt < 300; attempt++) {
    for (const name of existsSync(runs) ? readdirSync(runs) : []) {
      try {
        const index = JSON.parse(readFileSync(path.join(runs, name, 'run.json'), 'utf8'));
        if (index.batchApi?.batchId) return index;
      } catch {
        // Being written: read it on the next turn.
      }
    }
    await delay(50);
  }
  throw new Error('no run recorded a batch id within 15 s');
}

describe('promptmeter run --batch-api', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ batchDurationMs: 3_000 });
  });
  after(() => server.close());

  it('resumes polling after the CLI is killed mid-batch: one batch created, every job answered once', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'pm-batch-cli-'));
    cpSync(path.join(root, 'examples', 'prompts'), path.join(workspace, 'prompts'), { recursive: true });
    const first = start(
      ['run', 'prompts/ticket-triage.batch.jsonl', '--base-url', server.url, '--batch-api', '--json'],
      workspace,
    );
    const run = await runWithBatch(workspace);
    const batchId = run.batchApi.batchId;
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    const remote = (await (
      await fetch(`${server.url}/batches/${batchId}`, { headers: { authorization: `Bearer ${secret}` } })
    ).json()) as { status: string };
    assert.ok(
      ['validating', 'in_progress', 'finalizing'].includes(remote.status),
      `killed while the batch was ${remote.status}`,
    );
    assert.equal(
      existsSync(path.join(workspace, '.promptmeter', 'runs', run.id, 'results.jsonl')),
      false,
      'nothing collected before the kill',
    );

    const requestsBefore = server.stats().requests;
    const resumed = await start(
      ['run', '--resume', run.id, '--base-url', server.url, '--batch-api', '--json'],
      workspace,
    ).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout);
    assert.equal(report.status, 'completed');
    assert.equal(report.batch.id, batchId, 'the resume polled the batch it found in the run folder');
    assert.equal(report.batch.status, 'completed');
    const stats = server.stats();
    assert.equal(stats.batchesCreated, 1);
    assert.equal(stats.byEndpoint['POST /v1/files'], 1);
    assert.equal(report.batch.requestCounts.total, stats.batchLinesAnswered);
    assert.equal(stats.duplicateCompletions, 0, 'no request was answered twice');
    assert.equal(stats.completionsServed, 0, 'nothing went through the synchronous endpoint');
    const results = report.results as Array<{
      id: string;
      cache: string;
      error: unknown;
      output: string | null;
      costUsd: number | null;
    }>;
    assert.equal(results.length, 30);
    assert.ok(
      results.every((result) => !result.error && result.output),
      'every job answered',
    );
    const sent = results.filter((result) => result.cache === 'batch');
    assert.equal(sent.length, stats.batchLinesAnswered);
    assert.equal(results.filter((result) => result.cache === 'dedupe').length, results.length - sent.length);
    assert.ok(results.length - sent.length >= 3, 'identical tickets were sent once');
    assert.ok(report.cost.knownUsd > 0 && report.cost.usd === report.cost.knownUsd);
    assert.equal(report.pending, 0);
    assert.equal(
      report.requests,
      stats.requests - requestsBefore,
      'requests counts every HTTP call of the resumed process',
    );

    const ledger = workspaceLedgerText(workspace)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const paid = ledger.filter((entry) => entry.cache === 'miss');
    assert.equal(paid.length, sent.length, 'one ledger entry per batch line');
    assert.ok(paid.every((entry) => entry.batchApi === true));
    assert.doesNotMatch(JSON.stringify(ledger), new RegExp(secret));
    const again = await start(['run', '--resume', run.id, '--base-url', server.url, '--json'], workspace).done;
    assert.equal(again.code, 0, again.stderr);
    assert.equal(server.stats().batchesCreated, 1, 'a finished batch run is not sent again');
  });
});
