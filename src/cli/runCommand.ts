import path from 'node:path';
import { formatUsd } from '../core/estimate/formatting';
import type { BatchProgress, BatchRunOutcome } from '../core/batchApi/runBatchApi';
import { formatMoney } from '../core/report/formatMoney';
import { createRunEngines } from '../core/runs/runEngines';
import type { RunProgress } from '../core/runs/executeRun';
import type { RunJob } from '../core/runs/runJob';
import type { Refusal } from '../core/runs/refusals';
import { prepareRun } from '../core/runs/prepareRun';
import { runSession, type RunEngineKind, type RunHost, type RunStart } from '../core/runs/runSession';
import { RunStore } from '../core/runs/runStore';
import { changedFrom, readModelChanges } from '../core/runs/modelChanges';
import { checkRunBudget } from '../core/runs/runBudget';
import { planText, runSummaryMarkdown } from '../core/runs/runSummary';
import type { PromptMeterSettings } from '../core/settings/settings';
import { parseArguments, UsageError } from './cliArguments';
import { CLIENT_FLAGS, createCliClient } from './cliClient';
import type { CommandIo } from './estimateCommand';
import { batchLine, batchProgressText, batchReport, hasBatchInFlight } from './batchApiRun';
import { findPromptFiles } from './findPromptFiles';
import { runJson } from './runJson';

export const RUN_USAGE =
  'promptmeter run <paths...> [--base-url URL] [--model M] [--concurrency N] [--rpm N] [--tpm N] [--no-cache] [--cache-dir DIR] [--redis-url URL] [--fresh] [--data FILE] [--budget USD] [--allow-over-budget] [--similar] [--batch-api] [--resume RUN] [--retry-failed RUN] [--out DIR] [--json]';

/**
 * `promptmeter run`: a thin host over the core run session (plan, budget at the chosen engine's price, execute).
 * `--resume RUN` sends every job without an answer; `--retry-failed RUN` only the failed ones (RUN: an id or `last`).
 * Exit codes: 0 all answered, 1 some jobs failed, 2 bad arguments, 3 stopped (quota), 4 over budget, 130 cancelled.
 */
export async function runCommand(
  argv: readonly string[],
  settings: PromptMeterSettings,
  io: CommandIo & { env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<number> {
  const { positionals, flags } = parseArguments(argv, {
    ...CLIENT_FLAGS,
    model: 'string',
    fresh: 'boolean',
    data: 'string',
    budget: 'number',
    'allow-over-budget': 'boolean',
    similar: 'boolean',
    resume: 'string',
    'retry-failed': 'string',
    out: 'string',
    json: 'boolean',
    'batch-api': 'boolean',
  });
  const resume = typeof flags.resume === 'string' ? flags.resume : undefined;
  const retryFailed = typeof flags['retry-failed'] === 'string' ? flags['retry-failed'] : undefined;
  if (resume && retryFailed) throw new UsageError('use --resume RUN or --retry-failed RUN, not both.');
  const reopen = resume ?? retryFailed;
  if (positionals.length === 0 && !reopen)
    throw new UsageError('run needs prompt files or folders, or --resume RUN / --retry-failed RUN.');
  // One settings snapshot for the whole run: createCliClient resolves flags over settings once.
  const {
    apiKey,
    baseUrl,
    settings: effective,
    layout,
    tokenizers,
    readDocument,
    estimator,
    pricing,
    limits,
    ledger,
    ledgerPath,
    client,
    close,
  } = createCliClient(flags, settings, io);
  const workspace = io.cwd;
  const store = new RunStore(typeof flags.out === 'string' ? path.resolve(workspace, flags.out) : layout.runs);
  const modelChanges = readModelChanges(workspace);
  const text = !flags.json;
  try {
    const budgetUsd = typeof flags.budget === 'number' ? flags.budget : undefined;
    const perRunBudget = budgetUsd ?? (effective.budgetPerRunUsd > 0 ? effective.budgetPerRunUsd : undefined);
    // The Batch API path does not read the response cache, so the plan must not count on it.
    const isCached =
      flags.fresh || flags.cache === false || flags['batch-api']
        ? undefined
        : (job: RunJob) =>
            job.endpoint === 'embeddings'
              ? Promise.resolve(false)
              : client.hasCachedAnswer(job.request as never, job.endpoint === 'responses' ? 'responses' : 'chat');
    let start: RunStart;
    let refused: Refusal[] = [];
    if (reopen) {
      start = {
        kind: retryFailed ? 'retryFailed' : 'resume',
        run: reopen,
        limits,
        ...(perRunBudget !== undefined ? { budgetUsd: perRunBudget } : {}),
        ...(isCached ? { isCached } : {}),
      };
    } else {
      const files = findPromptFiles(positionals, effective.promptFolders, workspace).map((file) => ({ ...file }));
      const prepared = await prepareRun(files, estimator, {
        modelOverride: typeof flags.model === 'string' ? flags.model : undefined,
        dataFile: typeof flags.data === 'string' ? path.resolve(workspace, flags.data) : undefined,
        overrides: effective.pricingOverrides,
        maxFileBytes: effective.maxFileBytes,
        limits,
        budgetUsd: perRunBudget,
        similarity: {
          threshold: effective.semanticDedupeThreshold,
          reuse: flags.similar === true || effective.semanticDedupe,
          embed: (request, options) => client.embed(request, options),
        },
        ...(isCached ? { isCached } : {}),
      });
      for (const problem of prepared.problems) io.stderr(`promptmeter: ${problem}\n`);
      refused = prepared.refused;
      if (prepared.jobs.length === 0 && refused.length > 0)
        throw new UsageError(
          `nothing was sent: ${refused.length === 1 ? 'the prompt was' : `all ${refused.length} prompts were`} refused (see above); fix them and run again.`,
        );
      if (prepared.jobs.length === 0) throw new UsageError('no runnable prompts in the given paths.');
      start = { kind: 'new', source: positionals.join(' '), prepared };
    }
    const wantsBatchApi = flags['batch-api'] === true;
    const host: RunHost = {
      ...(io.signal ? { signal: io.signal } : {}),
      confirm: async (offer) => {
        const engine = offer.only ?? (wantsBatchApi ? 'batchApi' : 'standard');
        for (const note of offer.notes) {
          if (text) io.stdout(`  ${note}\n`);
          else io.stderr(`promptmeter: ${note}\n`);
        }
        if (text)
          io.stdout(
            `Run ${offer.folder.id}\n${planText(offer.plan)
              .map((line) => `  ${line}`)
              .join('\n')}\n`,
          );
        if (text && engine === 'batchApi')
          io.stdout(
            '  Batch API: answers within 24 h (small batches often in minutes) at Batch prices; Ctrl+C cancels the batch, --resume picks it up after a crash\n',
          );
        for (const message of offer.budget[engine].messages) io.stderr(`promptmeter: budget: ${message}\n`);
        return { engine, overBudget: flags['allow-over-budget'] === true };
      },
      ...(flags.json || !io.interactive
        ? {}
        : {
            progress: (progress: RunProgress | BatchProgress, engine: RunEngineKind) =>
              io.stderr(
                engine === 'batchApi' && 'phase' in progress ? batchProgressText(progress) : progressText(progress),
              ),
          }),
    };
    const engines = createRunEngines({
      client,
      ledger,
      fresh: flags.fresh === true,
      modelChangedFrom: (job) => changedFrom(modelChanges, job.file, job.model),
      mapReduce: async () => ({
        counter: await tokenizers.load('o200k_base'),
        readDocument: (workspacePath) => readDocument('', workspacePath),
        pricing,
        overrides: effective.pricingOverrides,
      }),
      batchApi: () => Promise.resolve({ apiKey, baseUrl, timeoutMs: effective.requestTimeoutMs, pricing }),
    });
    const session = await runSession(start, {
      store,
      engines,
      host,
      batchApiThreshold: effective.batchApiThreshold,
      batchInFlight: hasBatchInFlight,
      checkBudget: (plannedUsd) =>
        checkRunBudget({
          ledgerPath,
          runsFolder: store.root,
          settings: effective,
          perRunUsd: budgetUsd,
          plannedUsd,
          override: false,
        }),
    });
    const { folder, plan } = session;
    if (session.status === 'nothing') {
      if (text) io.stdout(`Run ${folder.id}: no failed jobs to retry.\n`);
      else io.stdout(`${JSON.stringify({ runId: folder.id, status: 'nothing', plan }, null, 2)}\n`);
      return 0;
    }
    if (session.status === 'refused') {
      io.stderr(
        `promptmeter: nothing was sent. Re-run with --allow-over-budget to start anyway (resume this run with --resume ${folder.id}).\n`,
      );
      if (flags.json)
        io.stdout(
          `${JSON.stringify({ runId: folder.id, status: 'refused', budget: session.decision, plan }, null, 2)}\n`,
        );
      return 4;
    }
    const run = session.run!;
    const { outcome } = run;
    const useBatchApi = session.engine === 'batchApi';
    const results = folder.results();
    folder.writeFile('summary.md', runSummaryMarkdown(folder.index, plan, outcome, results));
    const counters = client.counters();
    // HTTP calls of both clients: the Batch API's (files, batches, polls) and any similarity embeddings.
    if (run.counters)
      for (const key of ['requests', 'retries', 'rateLimited'] as const) counters[key] += run.counters[key];
    const batchOutcome = useBatchApi ? (outcome as BatchRunOutcome) : undefined;
    const report = {
      ...runJson(folder, plan, outcome, results, counters),
      refused,
      ...(batchOutcome ? { batch: batchReport(batchOutcome) } : {}),
    };
    if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      if (io.interactive) io.stderr('\n');
      // Answers are printed for small runs; large runs point to results.jsonl.
      for (const result of report.results.length <= 5 ? report.results : []) {
        const body = result.error
          ? `ERROR: ${result.error.message}`
          : (result.output ?? '(not sent: the run stopped before this job)');
        io.stdout(
          `\n── ${result.id} (${result.model}, ${result.cache}${result.costUsd !== null ? `, ${formatUsd(result.costUsd)}` : ''})\n${body}\n`,
        );
      }
      for (const batch of run.batches ?? []) io.stdout(`\n${batchLine(batch)}`);
      io.stdout(
        `\n${outcome.status}: ${report.requests} HTTP requests, ${report.cacheHits} cache hits, ${report.retries} retries, ${report.rateLimited} rate-limited, ${report.failed} failed, ${report.truncated} truncated (cut off or empty), cost ${report.costText}\nResults: ${path.relative(workspace, folder.directory) || folder.directory}/results.jsonl\n`,
      );
    }
    const resumeHint = `promptmeter run --resume ${folder.id}${useBatchApi ? ' --batch-api' : ''}`;
    if (outcome.stopReason) io.stderr(`promptmeter: run stopped: ${outcome.stopReason} Resume with: ${resumeHint}\n`);
    if (outcome.status === 'cancelled')
      io.stderr(
        `promptmeter: cancelled; ${outcome.progress.done} done (${outcome.progress.failed} failed), ${outcome.progress.pending} pending. Resume with: ${resumeHint}\n`,
      );
    else if (outcome.progress.failed > 0)
      io.stderr(
        `promptmeter: ${outcome.progress.failed} job${outcome.progress.failed === 1 ? '' : 's'} failed. Retry only those with: promptmeter run --retry-failed ${folder.id}\n`,
      );
    if (refused.length > 0)
      io.stderr(
        `promptmeter: ${refused.length} prompt${refused.length === 1 ? ' was' : 's were'} refused and not sent (listed above).\n`,
      );
    return outcome.status === 'stopped'
      ? 3
      : outcome.status === 'cancelled'
        ? 130
        : outcome.status === 'failed' || outcome.progress.failed > 0 || refused.length > 0
          ? 1
          : 0;
  } finally {
    await close();
  }
}

function progressText(progress: RunProgress): string {
  return `\r  ${progress.done}/${progress.total} done${progress.failed > 0 ? ` (${progress.failed} failed)` : ''} · ${formatMoney(progress.cost)}${progress.etaSeconds !== undefined ? ` · ETA ${Math.ceil(progress.etaSeconds)} s` : ''}   `;
}
