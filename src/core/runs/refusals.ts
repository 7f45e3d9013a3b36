import type { PromptEstimate } from '../estimate/promptEstimate';
import type { ParsedPromptFile, PromptDefinition } from '../prompts/promptTypes';

/** A prompt that is not sent, and why: said before anything is spent, with file, line, parameter and fix. */
export interface Refusal {
  readonly file: string;
  /** One-based line. */
  readonly line: number;
  readonly parameter?: string;
  readonly message: string;
  /** What fixes it (the quick fix's title), when there is one. */
  readonly fix?: string;
}

/**
 * Why a prompt cannot be sent as written: an error in the file that concerns it (broken front matter, an output
 * cap that is not a positive whole number, a template error), or a setting its model rejects (the API would answer
 * 400). Batch lines are judged one by one; other files as a whole.
 */
export function refusalsFor(file: ParsedPromptFile, prompt: PromptDefinition, estimate: PromptEstimate): Refusal[] {
  const refusals: Refusal[] = [];
  for (const diagnostic of file.diagnostics) {
    if (diagnostic.severity !== 'error') continue;
    if (file.format === 'batch-jsonl' && diagnostic.span.start.line !== prompt.span.start.line) continue;
    refusals.push({
      file: file.file,
      line: diagnostic.span.start.line + 1,
      message: diagnostic.message,
      ...(diagnostic.fix ? { fix: diagnostic.fix.title } : {}),
    });
  }
  for (const problem of estimate.requestProblems) {
    refusals.push({
      file: file.file,
      line: (problem.span ?? prompt.span).start.line + 1,
      parameter: problem.parameter,
      message: problem.message,
      ...(problem.fix ? { fix: problem.fix.title } : {}),
    });
  }
  return refusals;
}

/** `file:line: message Fix: title.` — one sentence for logs, the CLI and the plan dialog. */
export function refusalText(refusal: Refusal): string {
  return `${refusal.file}:${refusal.line}: not sent — ${refusal.message}${refusal.fix ? ` Fix: ${refusal.fix}.` : ''}`;
}
