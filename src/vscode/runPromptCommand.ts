import { refusalsFor, refusalText } from '../core/runs/refusals';
import * as vscode from 'vscode';
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { truncationText } from '../core/client/answerOutcome';
import type { CallResult } from '../core/client/callResult';
import { chooseChatApi } from '../core/client/chatApi';
import { resolveModel } from '../core/models/resolveModel';
import { formatTokens, formatUsd } from '../core/estimate/formatting';
import type { PromptDefinition } from '../core/prompts/promptTypes';
import type { PromptEstimate } from '../core/estimate/promptEstimate';
import { changedFrom, readModelChanges } from '../core/runs/modelChanges';
import { promptRequest, type ChatRequestBody } from '../core/runs/promptRequest';
import type { ClientService, LeasedClient } from './clientService';
import { COMMANDS } from './ids';
import type { PromptDocuments } from './promptDocuments';
import type { ResultDocuments } from './resultDocuments';
import { requireTrust, showCallError } from './errorActions';

/** "Prompt Meter: Run Prompt": the current prompt file or the selection, streamed into a result editor. */
export class RunPromptCommand {
  constructor(
    private readonly documents: PromptDocuments,
    private readonly clients: ClientService,
    private readonly results: ResultDocuments,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(uri?: vscode.Uri, options: { fresh?: boolean } = {}): Promise<void> {
    if (!(await requireTrust())) return;
    const editor = vscode.window.activeTextEditor;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
    if (!document) {
      void vscode.window.showInformationMessage('Prompt Meter: open a prompt file (or select text) to run it.');
      return;
    }
    const file = await this.documents.current(document);
    const selection =
      editor && editor.document === document && !editor.selection.isEmpty
        ? document.getText(editor.selection)
        : undefined;
    const prompt = file?.estimates[0];
    if (!selection && (!prompt || prompt.prompt.kind !== 'chat' || file?.parsed.format === 'batch-jsonl')) {
      void vscode.window.showInformationMessage(
        'Prompt Meter: Run Prompt runs one chat prompt (or the selected text). For batch files and folders use "Run Prompts Folder".',
      );
      return;
    }
    const refusals = !selection && file && prompt ? refusalsFor(file.parsed, prompt.prompt, prompt) : [];
    if (refusals.length > 0) {
      const [first] = refusals;
      this.log.warn(refusals.map(refusalText).join('\n'));
      void vscode.window
        .showErrorMessage(
          `Prompt Meter: not sent, nothing spent. ${refusalText(first!)}${refusals.length > 1 ? ` (+${refusals.length - 1} more in Problems)` : ''}`,
          'Show Problems',
        )
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
      return;
    }
    const lease = await this.clients.lease();
    if (!lease) {
      const choice = await vscode.window.showErrorMessage(
        "Prompt Meter: no API key is set. It is stored in VS Code's secret storage, never in settings.",
        'Set API Key',
      );
      if (choice) {
        await vscode.commands.executeCommand(COMMANDS.setApiKey);
        if (await this.clients.client()) await this.run(uri, options);
      }
      return;
    }
    let failure: { error: unknown; title: string } | undefined;
    try {
      failure = await this.send(document, selection, prompt, lease.value, options);
    } finally {
      lease.release();
    }
    if (failure) await showCallError(failure.error, `Running ${failure.title}`);
  }

  /** Sends the request and streams the answer into its result tab; a failure is returned, shown by the caller. */

  private async send(
    document: vscode.TextDocument,
    selection: string | undefined,
    prompt: PromptEstimate | undefined,
    leased: LeasedClient,
    options: { fresh?: boolean },
  ): Promise<{ error: unknown; title: string } | undefined> {
    const model = prompt?.model ?? this.documents.defaultModel;
    const request: ChatRequestBody = selection
      ? {
          model,
          messages: [{ role: 'user', content: selection }],
          ...(prompt?.prompt.maxTokens ? { max_tokens: prompt.prompt.maxTokens } : {}),
        }
      : (promptRequest(prompt!.prompt as PromptDefinition, model) as ChatRequestBody);
    const title = vscode.workspace.asRelativePath(document.uri, false).split('/').pop() ?? 'prompt';
    const workspaceFolder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    const changed =
      workspaceFolder && !selection
        ? changedFrom(readModelChanges(workspaceFolder), vscode.workspace.asRelativePath(document.uri, false), model)
        : undefined;
    const api = selection ? 'chat' : chooseChatApi(prompt?.prompt.api, resolveModel(model).endpoints);
    const result = await this.results.open(selection ? `${title} (selection)` : title);
    // The error is shown after the progress notification has closed: awaited inside, the notification would stay
    // on screen until the error message was dismissed.
    const failure = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Prompt Meter: running ${title} on ${model}`,
        cancellable: true,
      },
      async (_progress, token): Promise<{ error: unknown } | undefined> => {
        const cancel = new AbortController();
        const subscription = token.onCancellationRequested(() => cancel.abort());
        let attempt = 0;
        try {
          const answer = await leased.client.chat(
            { ...request, stream: true, stream_options: { include_usage: true } } as ChatCompletionCreateParams,
            {
              signal: cancel.signal,
              fresh: options.fresh,
              api,
              source: vscode.workspace.asRelativePath(document.uri, false),
              // The prompt's own workspace folder's ledger (multi-root).
              ledger: this.clients.ledgerFor(leased, workspaceFolder),
              ...(changed ? { modelChangedFrom: changed } : {}),
              onDelta: (delta) => {
                if (delta.choiceIndex !== 0) return;
                if (delta.attempt !== attempt) {
                  attempt = delta.attempt;
                  result.replace(delta.content);
                } else result.append(delta.content);
              },
            },
          );
          result.setHeader(header(title, model, answer));
          result.replace(answer.response.choices[0]?.message.content ?? '');
          return undefined;
        } catch (error) {
          if (cancel.signal.aborted) {
            result.setHeader(`# ${title}\n\n*cancelled — nothing more is billed for this request*`);
            return undefined;
          }
          result.setHeader(`# ${title}\n\n**failed:** ${(error as Error).message}`);
          this.log.warn(`Run Prompt ${title} failed: ${(error as Error).message}`);
          return { error };
        } finally {
          subscription.dispose();
        }
      },
    );
    return failure && { error: failure.error, title };
  }
}

/**
 * The result header: model, tokens in/out, cost, latency, whether the answer came from a cache, and, for an
 * answer cut off or empty, a line saying so (it was paid for, is not cached, and is no saving).
 */
export function header(title: string, model: string, answer: CallResult<unknown>): string {
  const { usage } = answer;
  const cost = answer.costUsd === null ? 'price unknown' : formatUsd(answer.costUsd);
  const cached =
    answer.cache === 'miss' || answer.cache === 'bypass'
      ? answer.cache === 'bypass'
        ? 'fresh answer (cache bypassed and refreshed)'
        : 'fresh answer (API call)'
      : `**cached** (${answer.cache})${answer.avoidedCostUsd ? ` — saved ${formatUsd(answer.avoidedCostUsd)}` : ''}`;
  const reasoning = usage.reasoningTokens > 0 ? ` (${formatTokens(usage.reasoningTokens)} reasoning)` : '';
  const providerCache =
    usage.cachedTokens > 0 ? `, ${formatTokens(usage.cachedTokens)} from the provider's prompt cache` : '';
  return [
    `# ${title}`,
    '',
    `model **${model}** · ${formatTokens(usage.promptTokens)} tokens in${providerCache} / ${formatTokens(usage.completionTokens)} out${reasoning} · cost ${cost} · ${Math.round(answer.latencyMs)} ms · ${cached}${answer.retries > 0 ? ` · ${answer.retries} retries` : ''}`,
    ...(answer.truncated
      ? ['', `**truncated:** ${truncationText(answer.truncated.finishReason, answer.truncated.empty)} (not cached)`]
      : []),
  ].join('\n');
}
