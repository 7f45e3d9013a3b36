/**
 * How many rows the report's lists keep (the view, the status bar, `promptmeter report`): the rest is counted in
 * `CostReport.more`. Exports ask for a complete report, which keeps every row.
 */
export const REPORT_LIMITS = { byModel: 25, byFile: 25, byRun: 25, topPrompts: 10, recentRuns: 10 } as const;

/** A capped list of the report. */
export type ReportList = keyof typeof REPORT_LIMITS;

/** The first rows of `list` (all of them when `complete`), and how many were left out. */
export function capped<T>(rows: readonly T[], list: ReportList, complete: boolean): { rows: T[]; more: number } {
  const limit = complete ? rows.length : REPORT_LIMITS[list];
  return { rows: rows.slice(0, limit), more: Math.max(0, rows.length - limit) };
}
