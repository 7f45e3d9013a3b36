import * as vscode from 'vscode';
import { repeatedSystemPromptHint, systemPromptFingerprint } from '../core/estimate/repeatedSystemPrompts';
import type { Estimator } from '../core/estimate/estimator';
import type { PromptDiagnostic, PromptFix } from '../core/prompts/promptTypes';
import { DisposableStore } from './disposableStore';
import type { PromptDocuments } from './promptDocuments';
import type { SettingsService } from './settingsService';
import { toRange } from './spans';
import type { SystemPromptIndex } from './systemPromptIndex';

const SEVERITY: Record<PromptDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Problems that are about the file itself, shown even when hints are turned off. */
const ALWAYS_SHOWN = new Set([
  'front-matter-unclosed',
  'front-matter-yaml',
  'front-matter-shape',
  'batch-json',
  'batch-line',
  'parse-failure',
  'context-exceeded',
  'file-too-large',
  'binary-file',
]);

/** Publishes parse problems and hints of open prompt documents; remembers each diagnostic's quick fix. */
/** `source` of every diagnostic Prompt Meter publishes. */
export const DIAGNOSTIC_SOURCE = 'Prompt Meter';

export class DiagnosticsPublisher implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly collection = this.store.add(vscode.languages.createDiagnosticCollection('promptmeter'));
  private readonly fixes = new WeakMap<vscode.Diagnostic, PromptFix>();

  constructor(
    private readonly documents: PromptDocuments,
    private readonly settings: SettingsService,
    private readonly index: SystemPromptIndex,
    private readonly estimator: Estimator,
  ) {
    this.store.add(documents.onDidChange((uri) => this.publishFor(uri)));
    this.store.add(
      index.onDidChange(() => vscode.workspace.textDocuments.forEach((document) => this.publish(document))),
    );
    this.store.add(
      settings.onDidChange(() => vscode.workspace.textDocuments.forEach((document) => this.publish(document))),
    );
    this.store.add(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
  }

  fixFor(diagnostic: vscode.Diagnostic): PromptFix | undefined {
    return this.fixes.get(diagnostic);
  }

  private publishFor(uri: vscode.Uri): void {
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
    if (document) this.publish(document);
  }

  private publish(document: vscode.TextDocument): void {
    const file = this.documents.get(document);
    if (!file) return;
    const hintsEnabled = this.settings.current.hintsEnabled;
    const shown = file.diagnostics.filter((diagnostic) => hintsEnabled || ALWAYS_SHOWN.has(diagnostic.code));
    const repeated = hintsEnabled
      ? this.repeatedSystemPrompt(file.estimates[0]?.prompt, file.estimates[0]?.encoding)
      : undefined;
    if (repeated) shown.push(repeated);
    this.collection.set(
      document.uri,
      shown.map((entry) => {
        const diagnostic = new vscode.Diagnostic(toRange(entry.span), entry.message, SEVERITY[entry.severity]);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        diagnostic.code = entry.code;
        if (entry.fix) this.fixes.set(diagnostic, entry.fix);
        return diagnostic;
      }),
    );
  }

  private repeatedSystemPrompt(
    prompt: Parameters<typeof systemPromptFingerprint>[0] | undefined,
    encoding: Parameters<Estimator['counter']>[0] | undefined,
  ): PromptDiagnostic | undefined {
    if (!prompt || !encoding || prompt.format === 'batch-jsonl') return undefined;
    const own = systemPromptFingerprint(prompt, this.estimator.counter(encoding));
    return own ? repeatedSystemPromptHint(own, this.index.all()) : undefined;
  }

  dispose(): void {
    this.store.dispose();
  }
}
