import * as vscode from 'vscode';
import { PromptMeterError } from '../core/client/errors';
import { COMMANDS, CONFIGURATION_SECTION } from './ids';

/** Shows a failed call as an error with what to do and the buttons that do it. */
export async function showCallError(error: unknown, what: string): Promise<void> {
  const failure = error instanceof PromptMeterError ? error : undefined;
  const message = `Prompt Meter: ${what} failed: ${(error as Error).message}${failure?.action ? ` ${failure.action}` : ''}`;
  const actions: string[] = [];
  if (failure?.reason === 'authentication' || failure?.reason === 'permission') actions.push('Set API Key');
  if (failure?.reason === 'insufficientQuota') actions.push('Open Billing');
  if (
    failure &&
    ['notFound', 'connection', 'rateLimited', 'timeout', 'malformedResponse', 'notAnApi', 'unreachable'].includes(
      failure.reason,
    )
  )
    actions.push('Open Settings');
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice === 'Set API Key') await vscode.commands.executeCommand(COMMANDS.setApiKey);
  else if (choice === 'Open Billing')
    await vscode.env.openExternal(vscode.Uri.parse('https://platform.openai.com/account/billing'));
  else if (choice === 'Open Settings')
    await vscode.commands.executeCommand('workbench.action.openSettings', CONFIGURATION_SECTION);
}

/** Running sends prompts to the network: it needs a trusted workspace. Returns false (after saying so) when untrusted. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    'Prompt Meter: running prompts sends them to the API, which needs a trusted workspace. Estimates keep working in Restricted Mode.',
    'Manage Workspace Trust',
  );
  if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
