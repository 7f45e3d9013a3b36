import { formatTokens } from '../estimate/formatting';
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
 * cap that is not a positive whole number, a template error), a setting its model rejects (the API would answer
 * 400), or a request larger than the model's context window. Batch lines are judged one by one; other files as a
 * whole. `rowsApart`: the prompt is sent once per dataset row, and each row is judged against the context window
 * with its own values ({@link contextOverflow}), not the estimate's sample values.
 */
export function refusalsFor(
  file: ParsedPromptFile,
  prompt: PromptDefinition,
  estimate: PromptEstimate,
  options: { readonly rowsApart?: boolean } = {},
): Refusal[] {
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
  const overflow = options.rowsApart ? undefined : contextOverflow(file.file, prompt, estimate);
  if (overflow) refusals.push(overflow);
  return refusals;
}

/**
 * A request larger than its model's context window (input + the output cap): the API answers 400
 * `context_length_exceeded`, so it is not sent (the editor marks it as an error too). A map-reduce prompt is exempt:
 * its document is split. `row`: the dataset row the estimate is of.
 */
export function contextOverflow(
  file: string,
  prompt: PromptDefinition,
  estimate: PromptEstimate,
  row?: number,
): Refusal | undefined {
  if (!estimate.exceedsContext || estimate.contextWindow === undefined || estimate.mapReduce) return undefined;
  return {
    file,
    line: prompt.span.start.line + 1,
    message: `${row === undefined ? '' : `row ${row} `}needs ${formatTokens(estimate.contextTokens)} tokens (input + max_tokens), more than ${estimate.model}'s context window of ${formatTokens(estimate.contextWindow)}; the API would reject it.`,
    fix: 'shorten it, split its document (chunk:), or pick a model with a larger window',
  };
}

/** `file:line: message Fix: title.` — one sentence for logs, the CLI and the plan dialog. */
export function refusalText(refusal: Refusal): string {
  return `${refusal.file}:${refusal.line}: not sent — ${refusal.message}${refusal.fix ? ` Fix: ${refusal.fix}.` : ''}`;
}
