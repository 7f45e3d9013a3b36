import { formatEstimate, formatTokens } from '../core/estimate/formatting';
import { REFUSAL_CODES } from '../core/prompts/parsePromptFile';
import type { EstimateJson, EstimateJsonPrompt } from './estimateReport';

const LINES_SHOWN_PER_FILE = 10;

/** The human-readable table printed without `--json`. */
export function estimateText(report: EstimateJson): string {
  // A row is table cells, or a note printed under the row above as it is (notes do not widen the columns).
  const rows: Array<string[] | string> = [
    ['PROMPT', 'MODEL', 'TOKENS', 'OUTPUT ≤', 'COST', 'BATCH API', 'CHEAPER FIT'],
  ];
  const shownPerFile = new Map<string, number>();
  for (const prompt of report.prompts) {
    const shown = shownPerFile.get(prompt.file) ?? 0;
    shownPerFile.set(prompt.file, shown + 1);
    if (shown === LINES_SHOWN_PER_FILE) rows.push(`  … more requests in ${prompt.file}`);
    if (shown >= LINES_SHOWN_PER_FILE) continue;
    rows.push(row(prompt));
    if (prompt.images) {
      const tokens = prompt.images.reduce((sum, image) => sum + image.tokens, 0);
      const assumed = [...new Set(prompt.images.flatMap((image) => image.assumed))];
      rows.push(
        `  ↳ ${prompt.images.length} image${prompt.images.length === 1 ? '' : 's'}: ${formatTokens(tokens)} image tokens included (estimate${assumed.length > 0 ? `; assumed: ${assumed.join('; ')}` : ''})`,
      );
    }
    if (prompt.dataset) {
      const { dataset } = prompt;
      const cost =
        dataset.total === null
          ? 'price unknown'
          : `${formatEstimate(dataset.total)} (Batch API ${formatEstimate(dataset.batchTotal ?? undefined)})`;
      rows.push(
        `  ↳ × ${dataset.rows} rows of ${dataset.file}: ${formatTokens(dataset.inputTokens)} input tokens, ${cost}`,
      );
    }
    if (prompt.mapReduce) {
      const single = prompt.mapReduce.singleCall
        ? `; one call on ${prompt.mapReduce.singleCall.model} ${formatEstimate(prompt.mapReduce.singleCall.total)}`
        : '';
      rows.push(`  ↳ map-reduce: ${prompt.mapReduce.chunks} chunks, ${prompt.mapReduce.calls} calls${single}`);
    }
  }
  const cellRows = rows.filter((row): row is string[] => Array.isArray(row));
  const widths = cellRows[0]!.map((_, column) => Math.max(...cellRows.map((cells) => (cells[column] ?? '').length)));
  const table = rows
    .map((row) =>
      typeof row === 'string'
        ? row
        : row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd(),
    )
    .join('\n');
  const { totals } = report;
  const unpriced =
    totals.unpricedPrompts > 0 && totals.unpricedPrompts < totals.prompts
      ? `; ${totals.unpricedPrompts} with price unknown (not included)`
      : '';
  const lines = [
    `Prompt Meter estimate (USD, estimates; prices: ${report.priceSource})`,
    '',
    table,
    '',
    `Total: ${totals.prompts} prompts, ${formatTokens(totals.inputTokens)} input tokens, ${money(totals.total, totals.batchTotal, totals.unpricedPrompts < totals.prompts)}${unpriced}`,
  ];
  if (report.prompts.some((prompt) => prompt.dataset)) {
    const { run } = totals;
    const unknown =
      run.unpricedCalls > 0 && run.unpricedCalls < run.calls
        ? `; ${run.unpricedCalls} calls with price unknown (not included)`
        : '';
    lines.push(
      `Running them all (dataset rows included, before dedupe and cache hits): ${formatTokens(run.calls)} calls, ${formatTokens(run.inputTokens)} input tokens, ${money(run.total, run.batchTotal, run.unpricedCalls < run.calls)}${unknown}`,
    );
  }
  const refused = report.diagnostics.filter((diagnostic) => REFUSAL_CODES.has(diagnostic.code));
  if (refused.length > 0) {
    lines.push('', 'Skipped:');
    for (const file of refused) lines.push(`  ${file.file}  ${file.message}`);
  }
  const problems = report.diagnostics.filter(
    (diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning',
  );
  if (problems.length > 0) {
    lines.push('', 'Problems:');
    for (const problem of problems)
      lines.push(`  ${problem.file}:${problem.line}  ${problem.severity}  ${problem.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/** "~$0.139 (Batch API ~$0.070)", or "price unknown" when nothing in the sum has a known price (never $0). */
function money(total: number, batchTotal: number, anyPriced: boolean): string {
  return anyPriced ? `${formatEstimate(total)} (Batch API ${formatEstimate(batchTotal)})` : 'price unknown';
}

function row(prompt: EstimateJsonPrompt): string[] {
  const label = prompt.id === prompt.file ? prompt.file : `${prompt.file} #${prompt.id}`;
  const reasoning =
    prompt.reasoning && prompt.reasoning.expectedTokens > 0
      ? `, ~${formatTokens(prompt.reasoning.expectedTokens)} reasoning expected`
      : '';
  const output =
    prompt.maxOutputTokens === null
      ? '?'
      : `${formatTokens(prompt.maxOutputTokens)}${prompt.outputBound === 'model-maximum' ? ' (no max_tokens)' : ''}${reasoning}`;
  const recommendation = !prompt.recommendation
    ? ''
    : prompt.recommendation.changes.length > 1
      ? prompt.recommendation.summary
      : `${prompt.recommendation.model} ${formatEstimate(prompt.recommendation.total)} (−${Math.round((prompt.recommendation.saving / (prompt.cost?.total || 1)) * 100)}%)`;
  return [
    label,
    prompt.model + (prompt.approximateTokens ? ' (approx.)' : ''),
    formatTokens(prompt.inputTokens),
    output,
    prompt.cost
      ? formatEstimate(prompt.cost.total)
      : prompt.copilotPromptFile
        ? 'no API price (Copilot prompt file)'
        : 'price unknown',
    prompt.cost ? formatEstimate(prompt.cost.batchTotal) : '',
    recommendation,
  ];
}
