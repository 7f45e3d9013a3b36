import * as vscode from 'vscode';
import { hasBatchInFlight } from '../core/batchApi/runFolderThroughBatchApi';
import type { Lease } from '../core/client/clientLeases';
import type { PromptMeterClient } from '../core/client/promptMeterClient';
import type { Estimator } from '../core/estimate/estimator';
import { formatMoney } from '../core/report/formatMoney';
import { refusalText } from '../core/runs/refusals';
import { checkRunBudget } from '../core/runs/runBudget';
import type { RunOutcome } from '../core/runs/executeRun';
import type { RunJob } from '../core/runs/runJob';
import { offerChoices, offerDetail } from '../core/runs/runOfferChoices';
import { prepareRun } from '../core/runs/prepareRun';
import { runSession, type RunChoice, type RunOffer, type RunStart } from '../core/runs/runSession';
import { RunStore, type RunFolder } from '../core/runs/runStore';
import { runSummaryMarkdown } from '../core/runs/runSummary';
import type { PromptMeterSettings } from '../core/settings/settings';
import { WorkspaceLayout } from '../core/workspace/workspaceLayout';
import type { RunSessionHost } from './runSessionHost';
import type { ClientService, LeasedClient } from './clientService';
import { requireTrust, showCallError } from './errorActions';
import { COMMANDS } from './ids';
import type { SettingsService } from './settingsService';
import { pickRunFolder, runSourceFiles } from './runTargets';
import { layoutOf } from './workspaceFolders';

/** A run folder offered by Resume Run / Retry Failed Jobs, with the workspace folder it belongs to. */
interface RunPick extends vscode.QuickPickItem {
  readonly id: string;
  readonly layout: WorkspaceLayout;
}

/**
 * "Run Prompts Folder", "Resume Run" and "Retry Failed Jobs": a thin host over the core run session. The plan
 * (calls, tokens, cost standard / after cache hits / with the Batch API, duration, budget at each engine's price)
 * is confirmed in a modal dialog, then the run goes with progress and cancel; results land in the run folder of
 * the workspace folder that holds what is run (multi-root workspaces keep each folder's runs in that folder).
 */
export class RunCommands {
  constructor(
    private readonly estimator: Estimator,
    private readonly settings: SettingsService,
    private readonly clients: ClientService,
    private readonly log: vscode.LogOutputChannel,
    private readonly execution: RunSessionHost,
  ) {}

  async runFolder(folder?: vscode.Uri): Promise<void> {
    if (!(await requireTrust())) return;
    const first = vscode.workspace.workspaceFolders?.[0];
    if (!first) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: open a folder first; runs are stored in its .promptmeter/runs.',
      );
      return;
    }
    const target = folder ?? (await pickRunFolder(first.uri));
    if (!target) return;
    // The workspace folder that holds the target (multi-root), else the first one (there is one: checked above).
    const layout = layoutOf(target)!;
    // The run holds a lease on the client: a settings change mid-run does not close its cache or Redis connection.
    const lease = await this.requireLease();
    if (!lease) return;
    try {
      await this.planAndRun(target, layout, lease.value);
    } finally {
      lease.release();
    }
  }

  private async planAndRun(target: vscode.Uri, layout: WorkspaceLayout, leased: LeasedClient): Promise<void> {
    const { client } = leased;
    const settings = this.settings.current; // one snapshot for the whole run
    const files = await runSourceFiles(target, settings);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(
        `Prompt Meter: no prompt files in ${vscode.workspace.asRelativePath(target)}.`,
      );
      return;
    }
    const prepared = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Prompt Meter: planning the run…' },
      () =>
        prepareRun(files, this.estimator, {
          overrides: settings.pricingOverrides,
          maxFileBytes: settings.maxFileBytes,
          limits: limitsOf(settings),
          budgetUsd: settings.budgetPerRunUsd > 0 ? settings.budgetPerRunUsd : undefined,
          isCached: cacheLookup(client),
          similarity: {
            threshold: settings.semanticDedupeThreshold,
            reuse: settings.semanticDedupe,
            embed: (request, options) => client.embed(request, options),
          },
        }),
    );
    for (const problem of prepared.problems) this.log.warn(problem);
    for (const refusal of prepared.refused) this.log.warn(refusalText(refusal));
    if (prepared.jobs.length === 0) {
      void vscode.window.showWarningMessage(
        `Prompt Meter: nothing was sent. ${prepared.refused[0] ? refusalText(prepared.refused[0]) : (prepared.problems[0] ?? '')}`,
      );
      return;
    }
    await this.session(
      { kind: 'new', source: vscode.workspace.asRelativePath(target, false), prepared },
      layout,
      settings,
      leased,
    );
  }

  async resume(): Promise<void> {
    await this.reopen('resume');
  }

  /** "Retry Failed Jobs": sends only the jobs of a run whose result is an error, a completed run's included. */
  async retryFailed(): Promise<void> {
    await this.reopen('retryFailed');
  }

  private async reopen(kind: 'resume' | 'retryFailed'): Promise<void> {
    if (!(await requireTrust())) return;
    const picks = this.runPicks(kind);
    if (picks.length === 0) {
      void vscode.window.showInformationMessage(
        kind === 'resume' ? 'Prompt Meter: no unfinished runs.' : 'Prompt Meter: no run has failed jobs.',
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(picks, {
      title: kind === 'resume' ? 'Prompt Meter: Resume Run' : 'Prompt Meter: Retry Failed Jobs',
      placeHolder:
        kind === 'resume' ? 'Only the jobs without an answer are sent' : 'Only the failed jobs are sent again',
    });
    if (!picked) return;
    const lease = await this.requireLease();
    if (!lease) return;
    try {
      const settings = this.settings.current;
      await this.session(
        {
          kind,
          run: picked.id,
          limits: limitsOf(settings),
          ...(settings.budgetPerRunUsd > 0 ? { budgetUsd: settings.budgetPerRunUsd } : {}),
          isCached: cacheLookup(lease.value.client),
        },
        picked.layout,
        settings,
        lease.value,
      );
    } finally {
      lease.release();
    }
  }

  /** Runs of every workspace folder that Resume (pending jobs, or a run.json to rebuild) or Retry (failed jobs) can take. */
  private runPicks(kind: 'resume' | 'retryFailed'): RunPick[] {
    const picks: RunPick[] = [];
    const many = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const layout = new WorkspaceLayout(folder.uri.fsPath);
      const store = new RunStore(layout.runs);
      const where = many ? ` · ${folder.name}` : '';
      for (const run of store.list()) {
        if (kind === 'resume' ? run.jobs.pending === 0 : run.jobs.failed === 0) continue;
        const counts =
          kind === 'resume'
            ? `${run.jobs.pending} of ${run.jobs.total} pending, ${run.jobs.failed} failed`
            : `${run.jobs.failed} of ${run.jobs.total} failed`;
        picks.push({
          label: run.id,
          description: `${run.status} · ${counts} · ${run.source}${where}`,
          ...(run.stopReason ? { detail: run.stopReason } : {}),
          id: run.id,
          layout,
        });
      }
      if (kind === 'resume')
        for (const id of store.rebuildableIds())
          picks.push({
            label: id,
            description: `run.json missing or damaged: rebuilt from jobs.jsonl and results.jsonl${where}`,
            id,
            layout,
          });
    }
    return picks;
  }

  /** Polls runs whose Batch API batch was in flight when VS Code closed (offered once at start-up). */
  async offerBatchResume(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    // Called at activation: let activation finish before every run's index is read.
    await new Promise((resolve) => setImmediate(resolve));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const layout = new WorkspaceLayout(folder.uri.fsPath);
      const store = new RunStore(layout.runs);
      const run = store
        .list()
        .filter((index) => index.batchApi && index.jobs.pending > 0)
        .map((index) => store.open(index.id))
        .find(hasBatchInFlight);
      if (!run) continue;
      const choice = await vscode.window.showInformationMessage(
        `Prompt Meter: run ${run.id} is waiting for its Batch API batch. Polling resumes where it stopped; nothing is sent again.`,
        'Resume Polling',
      );
      const lease = choice ? await this.requireLease() : undefined;
      if (!lease) return;
      try {
        const settings = this.settings.current;
        await this.session({ kind: 'resume', run: run.id, limits: limitsOf(settings) }, layout, settings, lease.value, {
          confirmed: true,
        });
      } finally {
        lease.release();
      }
      return;
    }
  }

  /** One run session with this window as its host. `confirmed`: the user already chose (Resume Polling). */
  private async session(
    start: RunStart,
    layout: WorkspaceLayout,
    settings: PromptMeterSettings,
    leased: LeasedClient,
    options: { confirmed?: boolean } = {},
  ): Promise<void> {
    const store = new RunStore(layout.runs);
    const source = start.kind === 'new' ? start.source : start.run;
    const { host, dispose } = this.execution.host(source, (offer) =>
      options.confirmed ? Promise.resolve({ engine: offer.only ?? 'standard' }) : confirmOffer(offer),
    );
    try {
      const session = await runSession(start, {
        store,
        host,
        batchApiThreshold: settings.batchApiThreshold,
        batchInFlight: hasBatchInFlight,
        engines: this.execution.engines(leased, settings, layout),
        checkBudget: (plannedUsd) =>
          checkRunBudget({
            ledgerPath: layout.ledger,
            runsFolder: layout.runs,
            settings,
            plannedUsd,
            override: false,
          }),
      });
      if (session.offer.folder.notice) this.log.warn(session.offer.folder.notice);
      if (session.status === 'nothing')
        void vscode.window.showInformationMessage(
          `Prompt Meter: run ${session.folder.id} has no failed jobs to retry.`,
        );
      if (session.status !== 'ran' || !session.run) return;
      const { folder, plan } = session;
      folder.writeFile('summary.md', runSummaryMarkdown(folder.index, plan, session.run.outcome, folder.results()));
      dispose();
      await this.announce(folder, session.run.outcome);
    } catch (error) {
      dispose();
      this.log.error(`Run of ${source}: ${(error as Error).message}`);
      await showCallError(error as Error, `Run of ${source}`);
    } finally {
      dispose();
    }
  }

  private async announce(run: RunFolder, outcome: RunOutcome): Promise<void> {
    const summary = vscode.Uri.file(`${run.directory}/summary.md`);
    const { progress } = outcome;
    if (outcome.status === 'stopped') {
      await showCallError(new Error(outcome.stopReason ?? 'the run stopped'), `Run ${run.id}`);
      return;
    }
    const text =
      outcome.status === 'cancelled'
        ? `Prompt Meter: run cancelled — ${progress.done - progress.failed} answered, ${progress.failed} failed, ${progress.pending} pending (nothing lost: resume sends the pending and failed ones).`
        : `Prompt Meter: run finished — ${progress.done - progress.failed} answered, ${progress.failed} failed${progress.truncated > 0 ? ` (${progress.truncated} of the answers cut off or empty: see the summary)` : ''}, ${formatMoney(progress.cost)}.`;
    const actions = [
      'Open Run View',
      'Open Summary',
      ...(progress.pending > 0 ? ['Resume'] : []),
      ...(progress.failed > 0 ? ['Retry Failed Jobs'] : []),
    ];
    const choice = await vscode.window.showInformationMessage(text, ...actions);
    if (choice === 'Open Run View')
      await vscode.commands.executeCommand(COMMANDS.openRunView, vscode.Uri.file(run.directory));
    else if (choice === 'Open Summary') await vscode.commands.executeCommand('markdown.showPreview', summary);
    else if (choice === 'Resume') await vscode.commands.executeCommand(COMMANDS.resumeRun);
    else if (choice === 'Retry Failed Jobs') await vscode.commands.executeCommand(COMMANDS.retryFailedJobs);
  }

  /** A lease on the client for one run (release it in `finally`); without a key, offers Set API Key first. */
  private async requireLease(): Promise<Lease<LeasedClient> | undefined> {
    const lease = await this.clients.lease();
    if (lease) return lease;
    const choice = await vscode.window.showErrorMessage(
      "Prompt Meter: no API key is set. It is stored in VS Code's secret storage, never in settings.",
      'Set API Key',
    );
    if (choice) await vscode.commands.executeCommand(COMMANDS.setApiKey);
    return this.clients.lease();
  }
}

function limitsOf(settings: PromptMeterSettings) {
  return {
    requestsPerMinute: settings.rateLimits.default?.rpm ?? 500,
    tokensPerMinute: settings.rateLimits.default?.tpm ?? 200_000,
  };
}

/** The client's own cache lookup (every tier), so the plan's "already cached" is what the run then hits. */
function cacheLookup(client: PromptMeterClient): (job: RunJob) => Promise<boolean> {
  return (job) =>
    job.endpoint === 'embeddings'
      ? Promise.resolve(false)
      : client.hasCachedAnswer(job.request as never, job.endpoint === 'responses' ? 'responses' : 'chat');
}

/** The plan in a modal dialog; Cancel is the default whenever an engine is over budget. */
async function confirmOffer(offer: RunOffer): Promise<RunChoice> {
  const { choices, overBudget } = offerChoices(offer);
  const items = choices.map((choice) => ({ title: choice.label, choice: choice.choice, isCloseAffordance: false }));
  const message = `Prompt Meter: run ${offer.folder.index.source}?`;
  const options = { modal: true, detail: offerDetail(offer) };
  const picked = overBudget
    ? await vscode.window.showWarningMessage(message, options, ...items)
    : await vscode.window.showInformationMessage(message, options, ...items);
  return picked?.choice ?? 'cancel';
}
