// Issue 4's reliability checks, on the real CLI against the local test server over HTTP on 127.0.0.1:
// a 500-job run through 5% 500/503, 2% connection resets, 1% slow answers and 1% malformed JSON ends with every
// job answered exactly once (server-side count); a run killed with SIGKILL halfway and resumed ends with every job
// answered, nothing lost, and only the calls in flight at the kill possibly answered twice.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../server';
import { startCli as start } from '../support/cli';

const JOBS = 500;
const FAULTS = { error500: 0.025, error503: 0.025, connectionReset: 0.02, slow: 0.01, malformedJson: 0.01 };

function workspace(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-reliability-'));
  mkdirSync(path.join(folder, 'prompts'));
  mkdirSync(path.join(folder, 'data'));
  mkdirSync(path.join(folder, '.vscode'));
  const rows = Array.from({ length: JOBS }, (_, index) => `"Question ${index + 1}: what does error code E${1000 + index} mean for order ${index * 7}?"`);
  writeFileSync(path.join(folder, 'data', 'questions.csv'), `question\n${rows.join('\n')}\n`);
  writeFileSync(path.join(folder, 'prompts', 'ask.prompt.md'), '---\nmodel: gpt-4o-mini\nmax_tokens: 24\ndata: ../data/questions.csv\nvariables:\n  question: x\n---\nAnswer briefly: {{question}}\n');
  // A short timeout so slow answers are abandoned and retried; limits high enough for the test to be quick.
  writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    JSON.stringify({ 'promptmeter.requestTimeoutSeconds': 1, 'promptmeter.rateLimits': { default: { rpm: 30000, tpm: 5000000, concurrency: 24 } } }),
  );
  return folder;
}

/** Server-side: how many distinct chat requests were answered, and how many of them more than once. */
function answered(server: TestServer): { distinct: number; twice: number } {
  const counts = Object.values(server.stats().answeredByKey);
  return { distinct: counts.length, twice: counts.filter((count) => count > 1).length };
}

function successfulResults(folder: string): number {
  const runs = path.join(folder, '.promptmeter', 'runs');
  const [run] = readdirSync(runs);
  const latest = new Map<string, { error?: unknown }>();
  for (const line of readFileSync(path.join(runs, run!, 'results.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const result = JSON.parse(line) as { jobId: string; error?: unknown };
      latest.set(result.jobId, result);
    } catch {
      // a torn line from the killed process
    }
  }
  return [...latest.values()].filter((result) => !result.error).length;
}

describe('reliability of a 500-job run against a faulty server', { timeout: 240_000 }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ latencyMs: 2, faults: FAULTS, slowMs: 3_000, seed: 7 });
  });
  after(() => server.close());

  it('ends with every job answered exactly once, through 500/503, resets, slow answers and broken JSON', async () => {
    server.reset();
    const folder = workspace();
    const { done } = start(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    const result = await done;
    assert.equal(result.code, 0, result.stderr.slice(-2000));
    const report = JSON.parse(result.stdout);
    assert.equal(report.failed, 0);
    assert.equal(report.pending, 0);
    assert.ok(report.retries > 0, 'faults were met and retried');
    const faults = server.stats().faultsInjected;
    for (const kind of Object.keys(FAULTS)) assert.ok((faults[kind] ?? 0) > 0, `fault ${kind} was injected`);
    assert.deepEqual(answered(server), { distinct: JOBS, twice: 0 });
    assert.equal(successfulResults(folder), JOBS);
    console.log(`reliability: ${JOBS} jobs, ${report.requests} HTTP requests, ${report.retries} retries, faults ${JSON.stringify(faults)}, answered once each: ${answered(server).distinct}`);
  });

  it('a run killed with SIGKILL halfway and resumed ends the same way', async () => {
    server.reset();
    const folder = workspace();
    const first = start(['run', 'prompts', '--base-url', server.url, '--json'], folder);
    const deadline = Date.now() + 120_000;
    while (server.stats().completionsServed < JOBS / 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    await first.done;
    const beforeResume = server.stats().completionsServed;
    assert.ok(beforeResume >= JOBS / 2 && beforeResume < JOBS, `killed after ${beforeResume} answers`);
    const written = successfulResults(folder);
    const runId = readdirSync(path.join(folder, '.promptmeter', 'runs'))[0]!;
    const resumed = await start(['run', '--resume', runId, '--base-url', server.url, '--json'], folder).done;
    assert.equal(resumed.code, 0, resumed.stderr.slice(-2000));
    const report = JSON.parse(resumed.stdout);
    assert.equal(report.pending, 0);
    assert.equal(report.failed, 0);
    // Nothing is lost and every job is answered. The only calls that can be paid twice are the ones in flight
    // at the kill: answers the server sent that the killed process never got to write down (at most the
    // concurrency, and at most the answers served minus the results written). Everything written is reused.
    const { distinct, twice } = answered(server);
    assert.equal(distinct, JOBS);
    assert.ok(twice <= 24, `${twice} answered twice, more than the 24 calls that can be in flight`);
    assert.ok(twice <= beforeResume - written, `${twice} answered twice, more than the ${beforeResume - written} answers not yet written at the kill`);
    assert.equal(successfulResults(folder), JOBS);
    console.log(`kill -9: ${beforeResume} answers served before the kill, ${written} results written; resume sent ${server.stats().completionsServed - beforeResume} more; cache hits on resume ${report.cacheHits}; ${twice} in-flight answers bought again`);
  });
});
