import type { SavedComparison } from '../core/compare/compareTypes';

/**
 * Messages between the Compare Models webview and the extension host, validated on arrival by both sides: the
 * host only switches to a model the comparison measured, the page renders only comparisons of the expected shape.
 */

/** Host → webview: the whole comparison (sent after `ready` and after every change). */
export interface ComparisonSnapshotMessage {
  readonly type: 'comparison';
  readonly comparison: SavedComparison;
  /** The prompt's model now (after a switch it is the new one); null when the file is not open/estimable. */
  readonly currentModel: string | null;
  /** The result of the last Switch, shown above the table. */
  readonly notice: string | null;
}

export type ComparisonHostMessage = ComparisonSnapshotMessage;

export type ComparisonExportFormat = 'json' | 'csv';

/** Webview → host. */
export type ComparisonWebviewMessage =
  | { readonly type: 'ready' }
  /** Write this model (and its edits from the comparison) into the prompt file. */
  | { readonly type: 'switch'; readonly model: string }
  | { readonly type: 'export'; readonly format: ComparisonExportFormat }
  /** Open the saved comparison's JSON file in an editor. */
  | { readonly type: 'openJson' };

type Checked = Record<string, unknown>;

const isObject = (value: unknown): value is Checked =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNumberOrNull = (value: unknown): boolean => value === null || isNumber(value);
const isTextOrNull = (value: unknown): boolean => value === null || isText(value);
/** A model name from the webview: non-empty, bounded, no control characters. */
const isModelName = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f]/.test(value);

export function isComparisonWebviewMessage(value: unknown): value is ComparisonWebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'openJson':
      return true;
    case 'switch':
      return isModelName(value.model);
    case 'export':
      return value.format === 'json' || value.format === 'csv';
    default:
      return false;
  }
}

function isModelLine(line: unknown): boolean {
  if (!isObject(line)) return false;
  const { interval, costPer1kRows } = line;
  return (
    isText(line.model) &&
    isNumber(line.passed) &&
    isNumber(line.total) &&
    isNumber(line.passRate) &&
    Array.isArray(interval) &&
    interval.length === 2 &&
    interval.every(isNumber) &&
    isNumberOrNull(line.costUsd) &&
    isObject(costPer1kRows) &&
    isNumberOrNull(costPer1kRows.standard) &&
    isNumberOrNull(costPer1kRows.batch) &&
    isNumberOrNull(line.latencyP50Ms) &&
    isNumberOrNull(line.latencyP95Ms) &&
    isNumber(line.reasoningTokens) &&
    isNumber(line.truncated) &&
    (line.failed === undefined || isNumber(line.failed)) &&
    Array.isArray(line.edits) &&
    line.edits.every((edit) => isObject(edit) && isText(edit.kind)) &&
    isNumberOrNull(line.monthlySavingUsd)
  );
}

function isDisagreement(value: unknown): boolean {
  return (
    isObject(value) &&
    isNumber(value.row) &&
    isObject(value.answers) &&
    Object.values(value.answers).every(
      (answer) =>
        isObject(answer) && isText(answer.text) && typeof answer.passed === 'boolean' && isText(answer.detail),
    )
  );
}

/** Checks every part of the comparison the page reads. */
export function isSavedComparison(value: unknown): value is SavedComparison {
  return (
    isObject(value) &&
    isText(value.id) &&
    isText(value.file) &&
    isText(value.promptHash) &&
    isText(value.time) &&
    isText(value.scoring) &&
    isNumber(value.rows) &&
    isText(value.reference) &&
    isNumber(value.threshold) &&
    isTextOrNull(value.recommended) &&
    isNumberOrNull(value.judgeCostUsd) &&
    Array.isArray(value.models) &&
    value.models.every(isModelLine) &&
    Array.isArray(value.disagreements) &&
    value.disagreements.every(isDisagreement)
  );
}

export function isComparisonHostMessage(value: unknown): value is ComparisonHostMessage {
  return (
    isObject(value) &&
    value.type === 'comparison' &&
    isSavedComparison(value.comparison) &&
    isTextOrNull(value.currentModel) &&
    isTextOrNull(value.notice)
  );
}
