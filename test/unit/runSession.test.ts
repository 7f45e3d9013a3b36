import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { budgetGate, budgetLevel } from '../../src/core/report/budget';
import type { MoneyAmount } from '../../src/core/report/money';
import type { JobResult, RunJob } from '../../src/core/runs/runJob';
import { refusalText } from '../../src/core/runs/refusals';
import { offerChoices, offerDetail } from '../../src/core/runs/runOfferChoices';
import { planRun } from '../../src/core/runs/runPlan';
import type { PreparedRun } from '../../src/core/runs/prepareRun';
import {
  runSession,
  type EngineRequest,
  type RunChoice,
  type RunEngineKind,
  type RunOffer,
  type RunSessionOptions,
} from '../../src/core/runs/runSession';
import { RunStore, type RunFolder } from '../../src/core/runs/runStore';
import { chatJob } from '../support/runJobs';

const LIMITS = { requestsPerMinute: 500, tokensPerMinute: 200_000 };

function prepared(jobs: RunJob[], extra: Partial<PreparedRun> = {}): PreparedRun {
  return {
    jobs,
    problems: [],
    refused: [],
    plan: planRun({ jobs, limits: LIMITS }),
    similarGroups: [],
    followers: new Map(),
    ...extra,
  };
}

/** A per-run budget gate over the real `budgetGate` (no monthly budget, nothing spent yet). */
function perRunBudget(perRunUsd: number) {
  const seen: Array<number | null> = [];
  const used: MoneyAmount = { usd: 0, knownUsd: 0, unpriced: 0 };
  const check = (plannedUsd: number | null) => {
    seen.push(plannedUsd);
    return Promise.resolve(
      budgetGate(
        {
          budget: {
            monthly: null,
            perRun: perRunUsd,
            used,
            fraction: null,
            level: budgetLevel(0, null),
            runsOverBudget: 0,
          },
        },
        plannedUsd,
      ),
    );
  };
  return { check, seen };
}

/** A fake host and engines: records the offer, answers with `choice`, and which engine ran with what. */
function harness(
  choice: RunChoice | ((offer: RunOffer) => RunChoice),
  options: { perRunUsd?: number; threshold?: number; inFlight?: boolean } = {},
) {
  const store = new RunStore(mkdtempSync(path.join(tmpdir(), 'pm-session-')));
  const ran: Array<{ engine: RunEngineKind; request: EngineRequest }> = [];
  const offers: RunOffer[] = [];
  const budget = perRunBudget(options.perRunUsd ?? 1);
  const engine = (kind: RunEngineKind) => (folder: RunFolder, request: EngineRequest) => {
    ran.push({ engine: kind, request });
    const progress = {
      total: 0,
      done: 0,
      failed: 0,
      truncated: 0,
      pending: 0,
      cost: { usd: 0, knownUsd: 0, unpriced: 0 },
      costUsd: 0,
    };
    return Promise.resolve({ outcome: { status: 'completed' as const, progress } });
  };
  const sessionOptions: RunSessionOptions = {
    store,
    engines: { standard: engine('standard'), batchApi: engine('batchApi') },
    host: {
      confirm: (offer) => {
        offers.push(offer);
        return Promise.resolve(typeof choice === 'function' ? choice(offer) : choice);
      },
    },
    checkBudget: budget.check,
    batchApiThreshold: options.threshold ?? 1000,
    batchInFlight: () => options.inFlight === true,
  };
  return { store, ran, offers, budget, sessionOptions };
}

// Standard $0.0001 and Batch $0.00005 per job (test/support/runJobs).
const jobs = () => [chatJob('a', 'q1'), chatJob('b', 'q2'), chatJob('c', 'q3')];

describe('run session: the budget decision', () => {
  it('is made at the price of the engine chosen: the Batch API can bring a run within budget', async () => {
    const { ran, offers, sessionOptions } = harness({ engine: 'batchApi' }, { perRunUsd: 0.0002 });
    const session = await runSession({ kind: 'new', source: 'prompts', prepared: prepared(jobs()) }, sessionOptions);
    assert.equal(offers[0]!.budget.standard.level, 'exceeded', '$0.0003 standard is past $0.0002');
    assert.notEqual(offers[0]!.budget.batchApi.level, 'exceeded', '$0.00015 with the Batch API is within it');
    assert.equal(session.status, 'ran');
    assert.deepEqual(
      ran.map((run) => run.engine),
      ['batchApi'],
    );
  });

  it('refuses an over-budget engine unless the host says over budget, and sends nothing', async () => {
    const refused = harness({ engine: 'standard' }, { perRunUsd: 0.0002 });
    const session = await runSession(
      { kind: 'new', source: 'prompts', prepared: prepared(jobs()) },
      refused.sessionOptions,
    );
    assert.equal(session.status, 'refused');
    assert.equal(refused.ran.length, 0);
    assert.match(session.folder.index.stopReason ?? '', /^Not started: .*per-run budget of \$0\.0002/);
    const anyway = harness({ engine: 'standard', overBudget: true }, { perRunUsd: 0.0002 });
    const allowed = await runSession(
      { kind: 'new', source: 'prompts', prepared: prepared(jobs()) },
      anyway.sessionOptions,
    );
    assert.equal(allowed.status, 'ran');
    assert.equal(allowed.decision?.overridden, true);
    assert.deepEqual(
      anyway.ran.map((run) => run.engine),
      ['standard'],
    );
  });

  it('keeps an unknown price unknown: the gate is told "unknown", never $0', async () => {
    const unpriced = [chatJob('a', 'q1', { costUsd: null }), chatJob('b', 'q2', { costUsd: null })];
    const { offers, budget, sessionOptions } = harness({ engine: 'standard' }, { perRunUsd: 0.0002 });
    await runSession({ kind: 'new', source: 'prompts', prepared: prepared(unpriced) }, sessionOptions);
    assert.deepEqual(budget.seen, [null, null]);
    assert.deepEqual(offers[0]!.cost.standard, { usd: null, knownUsd: 0, unpriced: 2 });
    assert.match(offers[0]!.budget.standard.messages.join(' '), /unknown/);
  });

  it('a partly priced plan is a lower bound: the known part is checked and the unknown part kept', async () => {
    const mixed = [chatJob('a', 'q1'), chatJob('b', 'q2', { costUsd: null })];
    const { offers, budget, sessionOptions } = harness({ engine: 'standard' });
    await runSession({ kind: 'new', source: 'prompts', prepared: prepared(mixed) }, sessionOptions);
    assert.deepEqual(budget.seen, [0.0001, 0.00005]);
    assert.deepEqual(offers[0]!.cost.standard, { usd: null, knownUsd: 0.0001, unpriced: 1 });
  });
});

describe('run session: the engine', () => {
  it('cancel at the plan sends nothing', async () => {
    const { ran, sessionOptions } = harness('cancel');
    const session = await runSession({ kind: 'new', source: 'prompts', prepared: prepared(jobs()) }, sessionOptions);
    assert.equal(session.status, 'declined');
    assert.equal(ran.length, 0);
    assert.equal(existsSync(session.folder.directory), false, 'a declined new run leaves no run folder');
  });

  it('cancel when resuming keeps the run: its answers and pending jobs are still there to resume', async () => {
    const { store, ran, sessionOptions } = harness('cancel');
    const folder = store.create('prompts', jobs(), 0.0003);
    const session = await runSession({ kind: 'resume', run: folder.directory, limits: LIMITS }, sessionOptions);
    assert.equal(session.status, 'declined');
    assert.equal(ran.length, 0);
    assert.ok(existsSync(folder.directory));
    assert.equal(store.open(folder.id).index.stopReason, 'Not started.');
  });

  it('suggests the Batch API from the threshold on, and the host may still choose standard', async () => {
    const { offers, ran, sessionOptions } = harness({ engine: 'standard' }, { threshold: 3 });
    await runSession({ kind: 'new', source: 'prompts', prepared: prepared(jobs()) }, sessionOptions);
    assert.equal(offers[0]!.suggested, 'batchApi');
    assert.deepEqual(
      ran.map((run) => run.engine),
      ['standard'],
    );
    const below = harness({ engine: 'standard' }, { threshold: 4 });
    await runSession({ kind: 'new', source: 'prompts', prepared: prepared(jobs()) }, below.sessionOptions);
    assert.equal(below.offers[0]!.suggested, 'standard');
  });

  it('a run with a batch in flight is polled by the Batch API engine whatever the host picks', async () => {
    const first = harness('cancel');
    const folder = first.store.create('prompts', jobs(), 0.0003);
    const { ran, offers, sessionOptions } = harness({ engine: 'standard' }, { inFlight: true });
    await runSession({ kind: 'resume', run: folder.directory, limits: LIMITS }, sessionOptions);
    assert.equal(offers[0]!.only, 'batchApi');
    assert.deepEqual(
      ran.map((run) => run.engine),
      ['batchApi'],
    );
  });

  it('the plan lists each prompt not sent once (a refusal is in problems as its sentence)', async () => {
    const refusal = { file: 'prompts/big.prompt.md', line: 1, message: "needs 9,000 tokens, more than gpt-4's window" };
    const { offers, sessionOptions } = harness('cancel');
    await runSession(
      {
        kind: 'new',
        source: 'prompts',
        prepared: prepared(jobs(), {
          refused: [refusal],
          problems: [refusalText(refusal), 'data.csv: row 3 has no "question" column; the row is not sent.'],
        }),
      },
      sessionOptions,
    );
    assert.deepEqual(offers[0]!.skipped, [
      "prompts/big.prompt.md:1: not sent — needs 9,000 tokens, more than gpt-4's window",
      'data.csv: row 3 has no "question" column; the row is not sent.',
    ]);
  });

  it('passes the accepted similar questions to the engine', async () => {
    const followers = new Map([['b', 'a']]);
    const { ran, sessionOptions } = harness({ engine: 'standard' });
    await runSession({ kind: 'new', source: 'prompts', prepared: prepared(jobs(), { followers }) }, sessionOptions);
    assert.deepEqual([...ran[0]!.request.followers], [['b', 'a']]);
  });
});

const answered = (jobId: string, error?: string): JobResult => ({
  jobId,
  file: 'prompts/faq.prompt.md',
  model: 'gpt-4o-mini',
  output: error ? '' : 'ok',
  costUsd: error ? 0 : 0.0001,
  cache: 'miss',
  usage: { promptTokens: 1, cachedTokens: 0, completionTokens: 1, reasoningTokens: 0 },
  finishedAt: '2026-12-01T00:00:00Z',
  ...(error ? { error: { message: error } } : {}),
});

describe('run session: resume and retry', () => {
  function finishedRun(results: JobResult[]) {
    const setup = harness('cancel');
    const folder = setup.store.create('prompts', jobs(), 0.0003);
    for (const result of results) folder.appendResult(result);
    folder.close();
    return { root: setup.store.root, folder };
  }

  it('Retry Failed Jobs sends only the failed ones, a completed run included, through the engine the host chose', async () => {
    const { root, folder } = finishedRun([answered('a'), answered('b', 'HTTP 500'), answered('c')]);
    const { ran, offers, sessionOptions } = harness({ engine: 'batchApi' });
    const session = await runSession(
      { kind: 'retryFailed', run: folder.id, limits: LIMITS },
      { ...sessionOptions, store: new RunStore(root) },
    );
    assert.equal(session.plan.calls, 1);
    assert.equal(offers[0]!.only, undefined, 'standard and Batch API are both offered');
    assert.deepEqual([...ran[0]!.request.onlyJobs!], ['b']);
    assert.equal(ran[0]!.engine, 'batchApi');
  });

  it('Retry Failed Jobs on a run without failures has nothing to send and asks nothing', async () => {
    const { root, folder } = finishedRun([answered('a'), answered('b'), answered('c')]);
    const { ran, offers, sessionOptions } = harness({ engine: 'standard' });
    const session = await runSession(
      { kind: 'retryFailed', run: folder.id, limits: LIMITS },
      { ...sessionOptions, store: new RunStore(root) },
    );
    assert.equal(session.status, 'nothing');
    assert.equal(offers.length + ran.length, 0);
  });

  it('resume plans the unanswered jobs, failures included, and counts the known cache hits with the given lookup', async () => {
    const { root, folder } = finishedRun([answered('a'), answered('b', 'HTTP 500')]);
    const { sessionOptions } = harness({ engine: 'standard' });
    const session = await runSession(
      { kind: 'resume', run: folder.id, limits: LIMITS, isCached: (job) => Promise.resolve(job.id === 'c') },
      { ...sessionOptions, store: new RunStore(root) },
    );
    assert.equal(session.plan.jobs, 2, 'b (failed) and c (never sent)');
    assert.equal(session.plan.knownCacheHits, 1);
    assert.equal(session.plan.calls, 1);
  });
});

describe('the plan dialog', () => {
  async function offerFor(perRunUsd: number, threshold = 1000): Promise<RunOffer> {
    const { offers, sessionOptions } = harness('cancel', { perRunUsd, threshold });
    await runSession(
      {
        kind: 'new',
        source: 'prompts',
        prepared: prepared(jobs(), {
          problems: ['prompts/huge.prompt.md: the file is 3 MB, over promptmeter.maxFileBytes'],
        }),
      },
      sessionOptions,
    );
    return offers[0]!;
  }

  it('defaults to Cancel when an engine is over budget, labels that engine, and names no CLI flag', async () => {
    const offer = await offerFor(0.0002);
    const { choices, overBudget } = offerChoices(offer);
    assert.equal(overBudget, true);
    assert.deepEqual(choices[0], { label: "Don't Run", choice: 'cancel' });
    assert.deepEqual(
      choices.map((choice) => choice.label),
      ["Don't Run", 'Run Anyway (Over Budget)', 'Run with Batch API (~$0.00015, within 24 h)'.replace('~', '')],
    );
    assert.deepEqual(choices[1]!.choice, { engine: 'standard', overBudget: true });
    const detail = offerDetail(offer);
    assert.doesNotMatch(detail, /--/);
    assert.match(detail, /per-run budget of \$0\.0002/, 'a small budget keeps its digits');
    assert.doesNotMatch(detail, /\$0\.00\b/);
    assert.match(detail, /Not sent \(1\): prompts\/huge\.prompt\.md/);
  });

  it('within budget the suggested engine is the default and there is no Cancel button of ours', async () => {
    const offer = await offerFor(1, 3);
    const { choices, overBudget } = offerChoices(offer);
    assert.equal(overBudget, false);
    assert.deepEqual(
      choices.map((choice) => choice.choice),
      [{ engine: 'batchApi' }, { engine: 'standard' }],
    );
    assert.equal(choices[1]!.label, 'Run');
  });

  it('a budget of $0.001 reads $0.001, not $0.00', () => {
    const decision = budgetGate(
      {
        budget: {
          monthly: null,
          perRun: 0.001,
          used: { usd: 0, knownUsd: 0, unpriced: 0 },
          fraction: null,
          level: 'ok',
          runsOverBudget: 0,
        },
      },
      0.002,
    );
    assert.match(decision.messages.join(' '), /per-run budget of \$0\.001/);
    assert.doesNotMatch(decision.messages.join(' '), /\$0\.00\b/);
  });
});
