import * as vscode from 'vscode';
import { createFileDocumentReader } from './core/chunking/fileDocumentReader';
import { recordModelChange } from './core/runs/modelChanges';
import { Estimator } from './core/estimate/estimator';
import { Tokenizers } from './core/tokens/tokenizers';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { ClientService } from './vscode/clientService';
import { RunPromptCommand } from './vscode/runPromptCommand';
import { RunCommands } from './vscode/runCommands';
import { RunSessionHost } from './vscode/runSessionHost';
import { ResultDocuments } from './vscode/resultDocuments';
import { BreakdownDocuments } from './vscode/breakdownDocuments';
import { CostReportService } from './vscode/costReportService';
import { CostReportView } from './vscode/costReportView';
import { ReasoningHistoryService } from './vscode/reasoningHistoryService';
import { PromptCodeActionProvider } from './vscode/codeActionProvider';
import { PromptCodeLensProvider } from './vscode/codeLensProvider';
import { registerCommands } from './vscode/commands';
import { RunViewPanels } from './vscode/runViewPanels';
import { ChatPromptConflict } from './vscode/chatPromptConflict';
import { CompareModelsCommand } from './vscode/compareModelsCommand';
import { ComparisonPanel } from './vscode/comparisonPanel';
import { ComparisonResults } from './vscode/comparisonResults';
import { DatasetEstimates } from './vscode/datasetEstimates';
import { DiagnosticsPublisher } from './vscode/diagnosticsPublisher';
import { DisposableStore } from './vscode/disposableStore';
import { COMMANDS } from './vscode/ids';
import { PROMPT_DOCUMENT_SELECTOR } from './vscode/documentSelector';
import { PromptHoverProvider } from './vscode/hoverProvider';
import { ModelCommands } from './vscode/modelCommands';
import { PromptDocuments } from './vscode/promptDocuments';
import { SettingsService } from './vscode/settingsService';
import { registerReportCommands } from './vscode/reportCommands';
import { SpendStatusBar } from './vscode/spendStatusBar';
import { PromptStatusBar } from './vscode/statusBar';
import { SystemPromptIndex } from './vscode/systemPromptIndex';
import { layoutOf, promptRootOf } from './vscode/workspaceFolders';

/** Composition root: builds the services, registers them, nothing else. */
export function activate(context: vscode.ExtensionContext): void {
  const store = new DisposableStore();
  context.subscriptions.push(store);
  const log = store.add(vscode.window.createOutputChannel('Prompt Meter', { log: true }));
  const settings = store.add(new SettingsService(log));
  const tokenizers = new Tokenizers(vscode.Uri.joinPath(context.extensionUri, 'dist', 'assets', 'tiktoken').fsPath);
  store.add({ dispose: () => tokenizers.dispose() });
  // Documents a prompt includes are read relative to the prompt, in its own workspace folder (multi-root).
  const estimator = new Estimator(tokenizers, settings.current, undefined, createFileDocumentReader(promptRootOf));
  const documents = store.add(new PromptDocuments(estimator, settings, log));
  const systemPrompts = store.add(new SystemPromptIndex(estimator, settings, log));
  const diagnostics = store.add(new DiagnosticsPublisher(documents, settings, systemPrompts, estimator));
  const comparisons = store.add(new ComparisonResults());
  const codeLenses = store.add(
    new PromptCodeLensProvider(documents, settings, store.add(new DatasetEstimates(estimator, settings)), comparisons),
  );
  const breakdowns = store.add(new BreakdownDocuments(documents));
  const models = new ModelCommands(documents, estimator, settings, log, comparisons, (uri, from, to, via) => {
    // Recorded in the file's own workspace folder, where Run Prompt, runs and the report look for it.
    const layout = layoutOf(uri);
    if (layout) recordModelChange(layout.root, vscode.workspace.asRelativePath(uri, false), from, to, via);
  });
  store.add(new PromptStatusBar(documents, comparisons));
  const reports = store.add(new CostReportService(settings, log));
  store.add(new CostReportView(context.extensionUri, reports, log));
  store.add(new SpendStatusBar(reports));
  store.add(registerReportCommands(reports, log));
  store.add(vscode.languages.registerCodeLensProvider(PROMPT_DOCUMENT_SELECTOR, codeLenses));
  store.add(vscode.languages.registerHoverProvider(PROMPT_DOCUMENT_SELECTOR, new PromptHoverProvider(documents)));
  store.add(
    vscode.languages.registerCodeActionsProvider(
      PROMPT_DOCUMENT_SELECTOR,
      new PromptCodeActionProvider(documents, diagnostics),
      PromptCodeActionProvider.metadata,
    ),
  );
  const keys = new ApiKeyStore(context.secrets);
  const clients = store.add(new ClientService(settings, keys, estimator, context.globalStorageUri, log));
  store.add(
    new ReasoningHistoryService(
      estimator,
      () => clients.ledgerPaths(),
      reports.onDidChange,
      () => documents.reestimateAll(),
    ),
  );
  const runner = new RunPromptCommand(documents, clients, store.add(new ResultDocuments()), log);
  const folders = new RunCommands(estimator, settings, clients, log, new RunSessionHost(estimator, clients));
  store.add(registerCommands(models, breakdowns, keys, runner, folders));
  const chatPrompts = store.add(new ChatPromptConflict(context.workspaceState, log));
  const runViews = store.add(new RunViewPanels(context.extensionUri, log));
  store.add(vscode.commands.registerCommand(COMMANDS.openRunView, (run?: unknown) => runViews.open(run)));
  store.add(
    vscode.commands.registerCommand(COMMANDS.openPromptFilesAsMarkdown, (uri?: vscode.Uri) =>
      chatPrompts.openActiveFolderAsMarkdown(uri),
    ),
  );
  const comparisonPanel = store.add(new ComparisonPanel(context.extensionUri, models, log));
  const compare = new CompareModelsCommand(documents, estimator, settings, clients, comparisons, comparisonPanel, log);
  store.add(vscode.commands.registerCommand(COMMANDS.compareModels, (uri?: vscode.Uri) => compare.run(uri)));
  void systemPrompts.build().catch((error: Error) => log.warn(`System prompt index: ${error.message}`));
  void folders.offerBatchResume().catch((error: Error) => log.warn(`Batch resume: ${error.message}`));
  log.info('Prompt Meter activated.');
}

export function deactivate(): void {}
