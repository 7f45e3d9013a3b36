import path from 'node:path';
import { formatUsd } from '../core/estimate/formatting';
import { executeRun } from '../core/runs/runExecutor';
import { planRun, type RunPlan } from '../core/runs/runPlan';
import type { Refusal } from '../core/runs/refusals';
import { prepareRun } from '../core/runs/runService';
import { RunStore, type RunFolder } from '../core/runs/runStore';
import { changedFrom, readModelChanges } from '../core/runs/modelChanges';
import { checkRunBudget } from '../core/runs/runBudget';
import { planText, runSummaryMarkdown, similarText } from '../core/runs/runSummary';
import type { PromptMeterSettings } from '../core/settings/settings';
import { parseArguments, UsageError } from './cliArguments';
import { CLIENT_FLAGS, createCliClient } from './cliClient';
import type { CommandIo } from './estimateCommand';
import { batchLine, batchReport, hasBatchInFlight, runFolderThroughBatchApi } from './batchApiRun';
import { findPromptFiles } from './findPromptFiles';
import { runJson } from './runJson';

export const RUN_USAGE =
  'promptmeter run <paths...> [--base-url URL] [--model M] [--concurrency N] [--rpm N] [--tpm N] [--no-cache] [--cache-dir DIR] [--redis-url URL] [--fresh] [--data FILE] [--budget USD] [--allow-over-budget] [--similar] [--batch-api] [--resume RUN] [--out DIR] [--json]';

/** Exit codes: 0 all answered, 1 some jobs failed, 2 bad arguments, 3 stopped (quota), 4 over budget, 130 cancelled. */
export async function runCommand(argv: readonly string[], settings: PromptMeterSettings, io: CommandIo & { env?: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<number> {
  const { positionals, flags } = parseArguments(argv, {
    ...CLIENT_FLAGS, model: 'string',
    fresh: 'boolean', data: 'string', budget: 'number', 'allow-over-budget': 'boolean', similar: 'boolean', resume: 'string', out: 'string',
    json: 'boolean', 'batch-api': 'boolean',
  });
  const resume = typeof flags.resume === 'string' ? flags.resume : undefined;
  if (positionals.length === 0 && !resume) throw new UsageError('run needs prompt files or folders, or --resume RUN.');
  const { apiKey, baseUrl, settings: effective, promptMeterFolder, tokenizers, readDocument, estimator, pricing, limits, ledger, ledgerPath, client, close } = createCliClient(flags, settings, io);
  const workspace = io.cwd;
  const store = new RunStore(typeof flags.out === 'string' ? path.resolve(workspace, flags.out) : path.join(promptMeterFolder, 'runs'));
  const modelChanges = readModelChanges(workspace);
  try {
    const budgetUsd = typeof flags.budget === 'number' ? flags.budget : undefined;
    const perRunBudget = budgetUsd ?? (effective.budgetPerRunUsd > 0 ? effective.budgetPerRunUsd : undefined);
    let folder: RunFolder;
    let plan: RunPlan;
    let followers = new Map<string, string>();
    let refused: Refusal[] = [];
    if (resume) {
      folder = store.open(resume);
      const done = new Set([...folder.results()].filter(([, result]) => !result.error).map(([id]) => id));
      plan = planRun({ jobs: folder.jobs(), done, limits, budgetUsd: perRunBudget });
    } else {
      const files = findPromptFiles(positionals, effective.promptFolders, workspace).map((file) => ({ ...file }));
      const prepared = await prepareRun(files, estimator, {
        modelOverride: typeof flags.model === 'string' ? flags.model : undefined,
        dataFile: typeof flags.data === 'string' ? path.resolve(workspace, flags.data) : undefined,
        overrides: effective.pricingOverrides,
        maxFileBytes: effective.maxFileBytes,
        limits,
        budgetUsd: perRunBudget,
        similarity: { threshold: effective.semanticDedupeThreshold, reuse: flags.similar === true || effective.semanticDedupe, embed: (request, options) => client.embed(request, options) },
        // The Batch API path does not read the response cache, so the plan must not count on it.
        isCached: flags.fresh || flags.cache === false || flags['batch-api'] ? undefined : (job) => (job.endpoint === 'embeddings' ? Promise.resolve(false) : client.hasCachedAnswer(job.request as never, job.endpoint === 'responses' ? 'responses' : 'chat')),
      });
      for (const problem of prepared.problems) io.stderr(`promptmeter: ${problem}\n`);
      refused = prepared.refused;
      if (prepared.jobs.length === 0 && refused.length > 0) throw new UsageError(`nothing was sent: ${refused.length === 1 ? 'the prompt was' : `all ${refused.length} prompts were`} refused (see above); fix them and run again.`);
      if (prepared.jobs.length === 0) throw new UsageError('no runnable prompts in the given paths.');
      plan = prepared.plan;
      followers = prepared.followers;
      folder = store.create(positionals.join(' '), prepared.jobs, plan.costUsd);
      if (prepared.similarGroups.length > 0) {
        folder.writeFile('similar-groups.json', `${JSON.stringify(prepared.similarGroups, null, 2)}\n`);
        const line = similarText(prepared.similarGroups, prepared.followers.size > 0);
        if (line && !flags.json) io.stdout(`  ${line}\n`);
      }
    }
    // A run with a batch in flight resumes polling it even without --batch-api: sending its jobs again would pay twice.
    const useBatchApi = flags['batch-api'] === true || (resume !== undefined && hasBatchInFlight(folder));
    if (!flags.json) io.stdout(`Run ${folder.id}\n${planText(plan).map((line) => `  ${line}`).join('\n')}\n`);
    if (!flags.json && useBatchApi) io.stdout('  Batch API: answers within 24 h (small batches often in minutes) at Batch prices; Ctrl+C cancels the batch, --resume picks it up after a crash\n');
    const decision = await checkRunBudget({
      ledgerPath,
      runsFolder: store.root,
      settings: effective,
      perRunUsd: budgetUsd,
      plannedUsd: plan.unpricedJobs > 0 && plan.costUsd === 0 ? null : useBatchApi ? plan.batchCostUsd : plan.costUsd,
      override: flags['allow-over-budget'] === true,
    });
    for (const message of decision.messages) io.stderr(`promptmeter: budget: ${message}\n`);
    if (!decision.allowed) {
      folder.saveIndex({ status: 'planned', stopReason: `Not started: ${decision.messages.join(' ')}` });
      io.stderr(`promptmeter: nothing was sent. Re-run with --allow-over-budget to start anyway (resume this run with --resume ${folder.id}).\n`);
      if (flags.json) io.stdout(`${JSON.stringify({ runId: folder.id, status: 'refused', budget: decision, plan }, null, 2)}\n`);
      return 4;
    }
    const batchRun = useBatchApi
      ? await runFolderThroughBatchApi(folder, {
          apiKey, baseUrl, timeoutMs: effective.requestTimeoutMs, pricing, ledger, followers, signal: io.signal,
          onProgress: flags.json || !io.interactive ? undefined : (text) => io.stderr(text),
        })
      : undefined;
    const outcome = batchRun?.outcome ?? await executeRun(folder, client, {
      signal: io.signal,
      fresh: flags.fresh === true,
      semanticFollowers: followers,
      ledger,
      modelChangedFrom: (job) => changedFrom(modelChanges, job.file, job.model),
      mapReduce: {
        counter: await tokenizers.load('o200k_base'),
        readDocument: (workspacePath) => readDocument('', workspacePath),
        pricing,
        overrides: effective.pricingOverrides,
      },
      onProgress: flags.json || !io.interactive ? undefined : (progress) => io.stderr(`\r  ${progress.done}/${progress.total} done · ${formatUsd(progress.costUsd)}${progress.etaSeconds !== undefined ? ` · ETA ${Math.ceil(progress.etaSeconds)} s` : ''}   `),
    });
    const results = folder.results();
    folder.writeFile('summary.md', runSummaryMarkdown(folder.index, plan, outcome, results));
    const counters = client.counters();
    // HTTP calls of both clients: the Batch API's (files, batches, polls) and any similarity embeddings.
    if (batchRun) for (const key of ['requests', 'retries', 'rateLimited'] as const) counters[key] += batchRun.counters[key];
    const report = { ...runJson(folder, plan, outcome, results, counters), refused, ...(batchRun ? { batch: batchReport(batchRun.outcome) } : {}) };
    if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      if (io.interactive) io.stderr('\n');
      // Answers are printed for small runs; large runs point to results.jsonl.
      for (const result of report.results.length <= 5 ? report.results : []) {
        io.stdout(`\n── ${result.id} (${result.model}, ${result.cache}${result.costUsd !== null ? `, ${formatUsd(result.costUsd)}` : ''})\n${result.error ? `ERROR: ${result.error.message}` : result.output}\n`);
      }
      for (const batch of batchRun?.outcome.batches ?? []) io.stdout(`\n${batchLine(batch)}`);
      io.stdout(`\n${outcome.status}: ${report.requests} HTTP requests, ${report.cacheHits} cache hits, ${report.retries} retries, ${report.rateLimited} rate-limited, ${report.failed} failed, ${report.truncated} truncated (cut off or empty), cost ${formatUsd(report.cost)}\nResults: ${path.relative(workspace, folder.directory) || folder.directory}/results.jsonl\n`);
    }
    const resumeHint = `promptmeter run --resume ${folder.id}${useBatchApi ? ' --batch-api' : ''}`;
    if (outcome.stopReason) io.stderr(`promptmeter: run stopped: ${outcome.stopReason} Resume with: ${resumeHint}\n`);
    if (outcome.status === 'cancelled') io.stderr(`promptmeter: cancelled; ${outcome.progress.pending} jobs pending. Resume with: ${resumeHint}\n`);
    if (refused.length > 0) io.stderr(`promptmeter: ${refused.length} prompt${refused.length === 1 ? ' was' : 's were'} refused and not sent (listed above).\n`);
    return outcome.status === 'stopped' ? 3 : outcome.status === 'cancelled' ? 130 : outcome.status === 'failed' || outcome.progress.failed > 0 || refused.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}
