import { formatUsd } from '../core/estimate/formatting';
import type { ComparisonResult, ModelComparison, SavedComparison } from '../core/compare/compareTypes';
import { editsText } from '../core/compare/changeText';

const money = (amount: number | null): string => (amount === null ? 'unknown' : formatUsd(amount));
const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

/** The `--json` object exactly as issue 14 specifies it (the saved file has more: scoring, disagreements, savings). */
export function comparisonJson(result: ComparisonResult): Record<string, unknown> {
  return {
    rows: result.rows,
    reference: result.reference,
    threshold: result.threshold,
    models: result.models.map((model) => ({
      model: model.model,
      passed: model.passed,
      total: model.total,
      passRate: model.passRate,
      interval: model.interval,
      costUsd: model.costUsd,
      costPer1kRows: model.costPer1kRows,
      latencyP50Ms: model.latencyP50Ms,
      latencyP95Ms: model.latencyP95Ms,
      truncated: model.truncated,
      edits: model.edits,
    })),
    recommended: result.recommended,
    judgeCostUsd: result.judgeCostUsd,
  };
}

function row(model: ModelComparison, recommended: string | null): string[] {
  return [
    `${model.model}${model.model === recommended ? ' *' : ''}`,
    `${model.passed}/${model.total} ${percent(model.passRate)}`,
    `${percent(model.interval[0])}–${percent(model.interval[1])}`,
    money(model.costUsd),
    `${money(model.costPer1kRows.standard)} / ${money(model.costPer1kRows.batch)}`,
    model.latencyP50Ms === null || model.latencyP95Ms === null
      ? (model.failed ?? 0) >= model.total
        ? 'failed'
        : 'cached'
      : `${Math.round(model.latencyP50Ms)} / ${Math.round(model.latencyP95Ms)}`,
    String(model.reasoningTokens),
    String(model.truncated),
    money(model.monthlySavingUsd),
    editsText(model.edits) || '—',
  ];
}

/** The comparison as a text table, the recommendation, and where answers differ (first few rows). */
export function comparisonText(saved: SavedComparison, savedPath: string): string {
  const header = [
    'model',
    'pass',
    '95% interval',
    'trial',
    'per 1k rows std / batch',
    'p50 / p95 ms',
    'reasoning',
    'truncated',
    'saving/month',
    'edits',
  ];
  const table = [header, ...saved.models.map((model) => row(model, saved.recommended))];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  const reference =
    saved.reference === 'evaluators' ? "pass rate by the prompt's evaluators" : `agreement with ${saved.reference}`;
  const out = [
    `Comparison ${saved.id}: ${saved.rows} rows of ${saved.file}; scored by ${saved.scoring}`,
    '',
    ...lines,
    '',
    saved.recommended
      ? `Recommended: ${saved.recommended} (* the cheapest with ${reference} ≥ ${percent(saved.threshold)})`
      : `Recommended: none (no model reaches ${reference} ≥ ${percent(saved.threshold)})`,
    `Judge and similarity calls: ${money(saved.judgeCostUsd)}`,
  ];
  for (const disagreement of saved.disagreements.slice(0, 5)) {
    out.push(`\nRow ${disagreement.row}:`);
    for (const [model, answer] of Object.entries(disagreement.answers))
      out.push(
        `  ${answer.passed ? 'pass' : 'FAIL'}  ${model}: ${answer.text.replace(/\s+/g, ' ').slice(0, 80)}${answer.passed || answer.text.startsWith('(error)') ? '' : ` (${answer.detail})`}`,
      );
  }
  if (saved.disagreements.length > 5)
    out.push(`\n… ${saved.disagreements.length - 5} more rows differ (see the saved file).`);
  out.push(`\nSaved: ${savedPath}`);
  return `${out.join('\n')}\n`;
}
