import { editsText } from './changeText';
import type { SavedComparison } from './compareTypes';

const CSV_COLUMNS = [
  'model',
  'recommended',
  'passed',
  'total',
  'pass_rate',
  'interval_low',
  'interval_high',
  'trial_usd',
  'per_1k_rows_standard_usd',
  'per_1k_rows_batch_usd',
  'latency_p50_ms',
  'latency_p95_ms',
  'reasoning_tokens',
  'truncated',
  'failed',
  'monthly_saving_usd',
  'edits',
] as const;

/** A CSV cell: quoted when it holds a comma, quote or line break; a leading = + - @ is prefixed with ' (no formulas in spreadsheets). */
function cell(value: string | number | boolean | null): string {
  if (value === null) return 'unknown';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One line per model of a saved comparison, for spreadsheets. Unknown amounts are written `unknown`, never 0;
 * money in USD; the scoring and threshold in a header comment line.
 */
export function comparisonCsv(saved: SavedComparison): string {
  const lines = [
    `# comparison ${saved.id} of ${saved.file} on ${saved.rows} rows; reference ${saved.reference}; threshold ${saved.threshold}; scoring ${saved.scoring}`.replace(
      /[\r\n]+/g,
      ' ',
    ),
    CSV_COLUMNS.join(','),
    ...saved.models.map((model) =>
      [
        model.model,
        model.model === saved.recommended,
        model.passed,
        model.total,
        model.passRate,
        model.interval[0],
        model.interval[1],
        model.costUsd,
        model.costPer1kRows.standard,
        model.costPer1kRows.batch,
        model.latencyP50Ms,
        model.latencyP95Ms,
        model.reasoningTokens,
        model.truncated,
        model.failed ?? 0,
        model.monthlySavingUsd,
        editsText(model.edits),
      ]
        .map(cell)
        .join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
