import { refusalText } from '../core/runs/refusals';
import * as vscode from 'vscode';
import { formatUsd } from '../core/estimate/formatting';
import type { PromptEstimator } from '../core/estimate/promptEstimator';
import { promptFormatFor } from '../core/prompts/promptFileKind';
import { checkRunBudget } from '../core/runs/runBudget';
import type { RunOutcome } from '../core/runs/runExecutor';
import { planRun, type RunPlan } from '../core/runs/runPlan';
import { prepareRun, type RunSourceFile } from '../core/runs/runService';
import { RunStore, type RunFolder } from '../core/runs/runStore';
import { planText, runSummaryMarkdown, similarText } from '../core/runs/runSummary';
import { hasBatchInFlight } from '../core/batchApi/runFolderThroughBatchApi';
import type { RunExecution } from './runExecution';
import type { ClientService } from './clientService';
import { requireTrust, showCallError } from './errorActions';
import { COMMANDS } from './ids';
import type { SettingsService } from './settingsService';

const EXCLUDED = '**/{node_modules,.git,dist,out,.promptmeter}/**';

/**
 * "Run Prompts Folder" and "Resume Run": plan first (calls, tokens, cost standard / after cache hits / with the
 * Batch API, duration, budget), confirm, then run with progress and cancel; results land in
 * `.promptmeter/runs/<id>/` as each job finishes.
 */
export class FolderRunner {
  constructor(
    private readonly estimator: PromptEstimator,
    private readonly settings: SettingsService,
    private readonly clients: ClientService,
    private readonly log: vscode.LogOutputChannel,
    private readonly execution: RunExecution,
  ) {}

  async runFolder(folder?: vscode.Uri): Promise<void> {
    if (!(await requireTrust())) return;
    const workspace = vscode.workspace.workspaceFolders?.[0];
    if (!workspace) {
      void vscode.window.showInformationMessage('Prompt Meter: open a folder first; runs are stored in its .promptmeter/runs.');
      return;
    }
    const target = folder ?? (await this.pickFolder(workspace.uri));
    if (!target) return;
    const client = await this.requireClient();
    if (!client) return;
    const files = await this.promptFiles(target);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(`Prompt Meter: no prompt files in ${vscode.workspace.asRelativePath(target)}.`);
      return;
    }
    const settings = this.settings.current;
    const limits = { requestsPerMinute: settings.rateLimits.default?.rpm ?? 500, tokensPerMinute: settings.rateLimits.default?.tpm ?? 200_000 };
    const prepared = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Prompt Meter: planning the run…' }, () =>
      prepareRun(files, this.estimator, {
        overrides: settings.pricingOverrides,
        maxFileBytes: settings.maxFileBytes,
        limits,
        budgetUsd: settings.budgetPerRunUsd > 0 ? settings.budgetPerRunUsd : undefined,
        isCached: (job) => (job.endpoint === 'embeddings' ? Promise.resolve(false) : client.hasCachedAnswer(job.request as never, job.endpoint === 'responses' ? 'responses' : 'chat')),
        similarity: { threshold: settings.semanticDedupeThreshold, reuse: settings.semanticDedupe, embed: (request, options) => client.embed(request, options) },
      }),
    );
    for (const problem of prepared.problems) this.log.warn(problem);
    if (prepared.jobs.length === 0) {
      void vscode.window.showWarningMessage(`Prompt Meter: nothing was sent. ${prepared.refused[0] ? refusalText(prepared.refused[0]) : (prepared.problems[0] ?? '')}`);
      return;
    }
    const store = this.store(workspace.uri);
    const run = store.create(vscode.workspace.asRelativePath(target, false), prepared.jobs, prepared.plan.costUsd);
    if (prepared.similarGroups.length > 0) run.writeFile('similar-groups.json', `${JSON.stringify(prepared.similarGroups, null, 2)}\n`);
    const similar = similarText(prepared.similarGroups, prepared.followers.size > 0);
    const refused = prepared.refused.length > 0 ? [`Not sent (${prepared.refused.length}, the API would reject them or the file has errors): ${prepared.refused.slice(0, 3).map(refusalText).join(' ')}${prepared.refused.length > 3 ? ` … and ${prepared.refused.length - 3} more (see the Prompt Meter log)` : ''}`] : [];
    await this.confirmAndExecute(run, prepared.plan, prepared.followers, workspace.uri, [...refused, ...(similar ? [similar] : [])]);
  }

  async resume(): Promise<void> {
    if (!(await requireTrust())) return;
    const workspace = vscode.workspace.workspaceFolders?.[0];
    if (!workspace) return;
    const store = this.store(workspace.uri);
    const unfinished = store.list().filter((run) => run.jobs.pending > 0);
    if (unfinished.length === 0) {
      void vscode.window.showInformationMessage('Prompt Meter: no unfinished runs.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      unfinished.map((run) => ({ label: run.id, description: `${run.status} · ${run.jobs.pending} of ${run.jobs.total} pending · ${run.source}`, detail: run.stopReason, id: run.id })),
      { title: 'Prompt Meter: Resume Run', placeHolder: 'Only the jobs without a result are sent' },
    );
    if (!picked) return;
    const run = store.open(picked.id);
    if (hasBatchInFlight(run)) {
      await this.finish(run, undefined, await this.execution.execute(run, 'batchApi', (await this.requireClient())!, new Map(), workspace.uri));
      return;
    }
    const done = new Set([...run.results()].filter(([, result]) => !result.error).map(([id]) => id));
    const settings = this.settings.current;
    const plan = planRun({
      jobs: run.jobs(), done,
      limits: { requestsPerMinute: settings.rateLimits.default?.rpm ?? 500, tokensPerMinute: settings.rateLimits.default?.tpm ?? 200_000 },
      budgetUsd: settings.budgetPerRunUsd > 0 ? settings.budgetPerRunUsd : undefined,
    });
    await this.confirmAndExecute(run, plan, new Map(), workspace.uri);
  }

  private async confirmAndExecute(run: RunFolder, plan: RunPlan, followers: Map<string, string>, workspace: vscode.Uri, notes: string[] = []): Promise<void> {
    const client = await this.requireClient();
    if (!client) return;
    const decision = await checkRunBudget({
      ledgerPath: this.clients.ledgerPath().fsPath,
      runsFolder: vscode.Uri.joinPath(workspace, '.promptmeter', 'runs').fsPath,
      settings: this.settings.current,
      plannedUsd: plan.costUsd,
      override: false,
    });
    const detail = [...planText(plan), ...notes, ...decision.messages].join('\n');
    const standard = decision.allowed ? 'Run' : 'Run Anyway (Over Budget)';
    const batch = `Run with Batch API (${formatUsd(plan.batchCostUsd)}, within 24 h)`;
    const buttons = plan.calls >= this.settings.current.batchApiThreshold ? [batch, standard] : [standard, batch];
    const choice = await vscode.window.showInformationMessage(`Prompt Meter: run ${run.index.source}?`, { modal: true, detail }, ...buttons);
    if (choice !== standard && choice !== batch) {
      run.saveIndex({ status: 'planned', stopReason: decision.allowed ? 'Not started.' : `Not started: ${decision.messages.join(' ')}` });
      return;
    }
    const outcome = await this.execution.execute(run, choice === batch ? 'batchApi' : 'standard', client, followers, workspace);
    await this.finish(run, plan, outcome);
  }

  /** Polls runs whose Batch API batch was in flight when VS Code closed (offered once at start-up). */
  async offerBatchResume(): Promise<void> {
    const workspace = vscode.workspace.workspaceFolders?.[0];
    if (!workspace || !vscode.workspace.isTrusted) return;
    // Called at activation: let activation finish before every run's index is read.
    await new Promise((resolve) => setImmediate(resolve));
    const store = this.store(workspace.uri);
    const waiting = store.list().filter((index) => index.batchApi && index.jobs.pending > 0).map((index) => store.open(index.id)).filter(hasBatchInFlight);
    const run = waiting[0];
    if (!run) return;
    const choice = await vscode.window.showInformationMessage(`Prompt Meter: run ${run.id} is waiting for its Batch API batch. Polling resumes where it stopped; nothing is sent again.`, 'Resume Polling');
    const client = choice ? await this.requireClient() : undefined;
    if (client) await this.finish(run, undefined, await this.execution.execute(run, 'batchApi', client, new Map(), workspace.uri));
  }

  private async finish(run: RunFolder, plan: RunPlan | undefined, outcome: RunOutcome | undefined): Promise<void> {
    if (!outcome) return;
    run.writeFile('summary.md', runSummaryMarkdown(run.index, plan, outcome, run.results()));
    await this.announce(run, outcome);
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
        ? `Prompt Meter: run cancelled — ${progress.done} done, ${progress.pending} pending (nothing lost: resume sends only those).`
        : `Prompt Meter: run finished — ${progress.done - progress.failed} answered, ${progress.failed} failed${progress.truncated > 0 ? ` (${progress.truncated} of the answers cut off or empty: see the summary)` : ''}, ${formatUsd(progress.costUsd)}.`;
    const choice = await vscode.window.showInformationMessage(text, 'Open Summary', ...(progress.pending > 0 ? ['Resume'] : []));
    if (choice === 'Open Summary') await vscode.window.showTextDocument(summary);
    else if (choice === 'Resume') await vscode.commands.executeCommand(COMMANDS.resumeRun);
  }

  private async requireClient() {
    const client = await this.clients.client();
    if (client) return client;
    const choice = await vscode.window.showErrorMessage('Prompt Meter: no API key is set. It is stored in VS Code\'s secret storage, never in settings.', 'Set API Key');
    if (choice) await vscode.commands.executeCommand(COMMANDS.setApiKey);
    return this.clients.client();
  }

  /** Folders that hold prompt files, nearest first, plus "Browse…" for any other folder. */
  private async pickFolder(root: vscode.Uri): Promise<vscode.Uri | undefined> {
    const uris = await vscode.workspace.findFiles('**/*.{prompt.md,prompty,prompt,prompt.yml,prompt.yaml,jsonl}', EXCLUDED, 2_000);
    const counts = new Map<string, { uri: vscode.Uri; files: number }>();
    for (const uri of uris) {
      const folder = vscode.Uri.joinPath(uri, '..');
      const entry = counts.get(folder.toString()) ?? { uri: folder, files: 0 };
      entry.files++;
      counts.set(folder.toString(), entry);
    }
    const items: Array<vscode.QuickPickItem & { uri?: vscode.Uri }> = [...counts.values()]
      .sort((left, right) => left.uri.path.localeCompare(right.uri.path))
      .map((entry) => ({ label: vscode.workspace.asRelativePath(entry.uri, false) || '.', description: `${entry.files} prompt files`, uri: entry.uri }));
    items.push({ label: 'Browse…', description: 'any folder' });
    const picked = await vscode.window.showQuickPick(items, { title: 'Prompt Meter: Run Prompts Folder', placeHolder: 'Folder to run (every prompt × its dataset rows, every batch line)' });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    const browsed = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: root, openLabel: 'Run Prompts in Folder' });
    return browsed?.[0];
  }

  /** The prompt files of a folder, or the one file when `folder` is a file (a data: prompt's CodeLens runs just it). */
  private async promptFiles(folder: vscode.Uri): Promise<RunSourceFile[]> {
    const isFile = ((await vscode.workspace.fs.stat(folder)).type & vscode.FileType.File) !== 0;
    const uris = isFile ? [folder] : await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{prompt.md,prompty,prompt,prompt.yml,prompt.yaml,jsonl,md,txt}'), EXCLUDED, 10_000);
    const files: RunSourceFile[] = [];
    for (const uri of uris.sort((left, right) => left.fsPath.localeCompare(right.fsPath))) {
      const displayPath = vscode.workspace.asRelativePath(uri, false);
      const firstLines = uri.path.endsWith('.jsonl') ? Buffer.from(await vscode.workspace.fs.readFile(uri)).subarray(0, 4096).toString('utf8') : undefined;
      const format = promptFormatFor(displayPath, this.settings.current.promptFolders, firstLines);
      if (format) files.push({ absolutePath: uri.fsPath, displayPath, format });
    }
    return files;
  }

  private store(workspace: vscode.Uri): RunStore {
    return new RunStore(vscode.Uri.joinPath(workspace, '.promptmeter', 'runs').fsPath);
  }
}
