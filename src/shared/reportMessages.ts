import type { CostReport } from '../core/report/costReportTypes';
import type { MoneyAmount } from '../core/report/money';
import { isReportRangeName, type ReportRangeName } from '../core/report/reportPeriods';

/**
 * Messages between the Cost Report webview and the extension host. Both sides validate what arrives with the
 * guards below: the host never trusts the webview (it only opens files and runs that the report lists), and
 * the webview renders only snapshots of the expected shape.
 */

/** The full state the view renders; the host sends a new one after `ready` and on every change. */
export interface ReportSnapshotMessage {
  readonly type: 'snapshot';
  readonly report: CostReport;
  /** The range the breakdowns cover (chosen in the view). */
  readonly range: ReportRangeName;
  /** Name of the workspace folder whose ledger this is; null without a folder. */
  readonly workspaceName: string | null;
  /** Why the report could not be read, if it could not (the last good report is still shown). */
  readonly problem: string | null;
}

/** Host → webview. */
export type ReportHostMessage = ReportSnapshotMessage;

/** Webview → host. */
export type ReportWebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'setRange'; readonly range: ReportRangeName }
  /** Open a prompt file the report lists (workspace-relative). */
  | { readonly type: 'openFile'; readonly path: string }
  /** Open a run's results. */
  | { readonly type: 'openRun'; readonly runId: string }
  | { readonly type: 'export'; readonly format: ExportFormat }
  /** Open the budget settings. */
  | { readonly type: 'openSettings' };

/** Formats the report can be exported in. */
export type ExportFormat = 'csv' | 'json';

type Checked = Record<string, unknown>;

function isObject(value: unknown): value is Checked {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string';
/** Paths and run ids from the webview: non-empty, bounded, no control characters. */
const isRequestText = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 1024 && !/[\u0000-\u001f]/.test(value);
const isTextOrNull = (value: unknown): boolean => value === null || isText(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isNumberOrNull = (value: unknown): boolean => value === null || isNumber(value);
const isLevel = (value: unknown): boolean => value === 'ok' || value === 'warning' || value === 'exceeded';

/** Validates a webview → host message. */
export function isReportWebviewMessage(value: unknown): value is ReportWebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'openSettings':
      return true;
    case 'setRange':
      return isReportRangeName(value.range);
    case 'openFile':
      return isRequestText(value.path);
    case 'openRun':
      return isRequestText(value.runId);
    case 'export':
      return value.format === 'csv' || value.format === 'json';
    default:
      return false;
  }
}

/** Validates a host → webview message, including the shape of the report it carries. */
export function isReportHostMessage(value: unknown): value is ReportHostMessage {
  return (
    isObject(value) &&
    value.type === 'snapshot' &&
    isReportRangeName(value.range) &&
    isTextOrNull(value.workspaceName) &&
    isTextOrNull(value.problem) &&
    isCostReport(value.report)
  );
}

function isMoney(value: unknown): value is MoneyAmount {
  return isObject(value) && isNumberOrNull(value.usd) && isNumber(value.knownUsd) && isNumber(value.unpriced);
}

function every(value: unknown, check: (item: Checked) => boolean): boolean {
  return Array.isArray(value) && value.every((item) => isObject(item) && check(item));
}

function isSpendRow(row: Checked): boolean {
  return (
    isText(row.name) &&
    isNumber(row.calls) &&
    isNumber(row.cacheHits) &&
    isNumber(row.inputTokens) &&
    isNumber(row.outputTokens) &&
    isMoney(row.spend) &&
    isMoney(row.saved) &&
    isNumberOrNull(row.share)
  );
}

/** Checks the parts of a report the view reads; anything else in it is ignored. */
export function isCostReport(value: unknown): value is CostReport {
  if (
    !isObject(value) ||
    value.version !== 1 ||
    !isText(value.generatedAt) ||
    !isText(value.pricesAsOf) ||
    !isText(value.priceSource)
  )
    return false;
  const { spend, budget, savings, ledger, range } = value;
  if (
    !isObject(range) ||
    !isTextOrNull(range.since) ||
    !isText(range.until) ||
    !(isReportRangeName(range.name) || range.name === 'since')
  )
    return false;
  if (
    !isObject(spend) ||
    !isMoney(spend.today) ||
    !isMoney(spend.last7Days) ||
    !isMoney(spend.month) ||
    !isMoney(spend.range) ||
    !isNumber(spend.calls)
  )
    return false;
  if (
    !isObject(budget) ||
    !isNumberOrNull(budget.monthly) ||
    !isNumberOrNull(budget.perRun) ||
    !isMoney(budget.used) ||
    !isNumberOrNull(budget.fraction) ||
    !isLevel(budget.level) ||
    !isNumber(budget.runsOverBudget)
  )
    return false;
  if (!isObject(ledger) || !isNumber(ledger.entries) || !isNumber(ledger.skippedLines)) return false;
  if (!isObject(savings) || !isMoney(savings.total)) return false;
  const { more } = value;
  if (
    !isObject(more) ||
    !isNumber(more.byModel) ||
    !isNumber(more.byFile) ||
    !isNumber(more.byRun) ||
    !isNumber(more.topPrompts) ||
    !isNumber(more.recentRuns)
  )
    return false;
  const isCause = (cause: Checked) =>
    isText(cause.cause) &&
    isText(cause.label) &&
    isText(cause.counterfactual) &&
    isText(cause.unit) &&
    isMoney(cause.amount) &&
    isNumberOrNull(cause.share) &&
    isNumber(cause.evidence) &&
    every(cause.detail, (detail) => isText(detail.label) && isMoney(detail.amount) && isNumber(detail.evidence));
  return (
    every(savings.causes, isCause) &&
    every(value.byModel, isSpendRow) &&
    every(value.byFile, (row) => isSpendRow(row) && isTextOrNull(row.source)) &&
    every(value.byRun, isSpendRow) &&
    every(value.daily, (day) => isText(day.day) && isNumber(day.calls) && isMoney(day.spend) && isMoney(day.saved)) &&
    every(
      value.topPrompts,
      (prompt) =>
        isTextOrNull(prompt.source) &&
        isTextOrNull(prompt.jobId) &&
        isText(prompt.model) &&
        isNumber(prompt.calls) &&
        isMoney(prompt.spend) &&
        isText(prompt.lastTime),
    ) &&
    every(
      value.recentRuns,
      (run) =>
        isText(run.id) &&
        isText(run.status) &&
        isTextOrNull(run.source) &&
        isTextOrNull(run.createdAt) &&
        isMoney(run.spend) &&
        isNumberOrNull(run.estimateUsd) &&
        isNumber(run.calls) &&
        isTextOrNull(run.lastError) &&
        isNumberOrNull(run.budgetFraction) &&
        isLevel(run.budgetLevel) &&
        (run.jobs === null ||
          (isObject(run.jobs) &&
            isNumber(run.jobs.total) &&
            isNumber(run.jobs.done) &&
            isNumber(run.jobs.failed) &&
            isNumber(run.jobs.pending))),
    )
  );
}
