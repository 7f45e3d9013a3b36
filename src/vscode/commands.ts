import type { PromptChange } from '../core/prompts/promptTypes';
import * as vscode from 'vscode';
import type { ApiKeyStore } from './apiKeyStore';
import type { BreakdownDocuments } from './breakdownDocuments';
import { DisposableStore } from './disposableStore';
import { COMMANDS } from './ids';
import type { ModelCommands } from './modelCommands';
import type { RunPromptCommand } from './runPromptCommand';
import type { RunCommands } from './runCommands';

/** Registers the estimate and key commands; each handler is a thin call into a service. */
export function registerCommands(
  models: ModelCommands,
  breakdowns: BreakdownDocuments,
  keys: ApiKeyStore,
  runner: RunPromptCommand,
  folders: RunCommands,
): vscode.Disposable {
  const store = new DisposableStore();
  const register = (id: string, handler: (...args: never[]) => unknown) =>
    store.add(vscode.commands.registerCommand(id, handler));
  register(COMMANDS.showCostBreakdown, (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return vscode.window.showInformationMessage('Prompt Meter: open a prompt file first.');
    return breakdowns.show(target);
  });
  register(COMMANDS.chooseModel, (uri?: vscode.Uri) => models.chooseModel(uri));
  register(COMMANDS.recommendModel, (uri?: vscode.Uri) => models.recommendModel(uri));
  register(COMMANDS.applyModel, (uri: vscode.Uri, model: string, changes?: readonly PromptChange[]) =>
    models.applyModel(uri, model, 'recommendation', Array.isArray(changes) ? changes : undefined),
  );
  register(COMMANDS.runPrompt, (uri?: vscode.Uri) => runner.run(uri));
  register(COMMANDS.runPromptFresh, (uri?: vscode.Uri) => runner.run(uri, { fresh: true }));
  register(COMMANDS.runFolder, (uri?: vscode.Uri) => folders.runFolder(uri));
  register(COMMANDS.resumeRun, () => folders.resume());
  register(COMMANDS.retryFailedJobs, () => folders.retryFailed());
  register(COMMANDS.setApiKey, () => keys.promptAndStore());
  register(COMMANDS.clearApiKey, () => keys.clear());
  return store;
}
