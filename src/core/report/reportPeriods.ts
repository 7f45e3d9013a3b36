/**
 * Calendar periods of the cost report, in the local time zone of the process (the user's clock): "today" starts
 * at local midnight, the last 7 days are today and the six days before, the month starts on the local 1st.
 */

/** Which entries the breakdowns (by model, file, run; savings; top prompts) cover. */
export type ReportRangeName = 'today' | 'last7Days' | 'month' | 'all';

/** All range names, in the order the view offers them. */
export const REPORT_RANGE_NAMES: readonly ReportRangeName[] = ['today', 'last7Days', 'month', 'all'];

/** Local midnight at the start of `date`'s day. */
export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Local midnight `days` days before (negative: after) `date`'s day. */
export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() - days);
}

/** Local midnight on the 1st of `date`'s month. */
export function startOfMonth(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), 1);
}

/** `YYYY-MM-DD` of the local day holding `date`. */
export function dayKey(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The first instant a range covers at `now`; undefined for `all`. */
export function rangeStart(range: ReportRangeName, now: Date): Date | undefined {
  switch (range) {
    case 'today':
      return startOfDay(now);
    case 'last7Days':
      return daysBefore(now, 6);
    case 'month':
      return startOfMonth(now);
    case 'all':
      return undefined;
  }
}

/** Human label of a range, for the view and the CLI table. */
export function rangeLabel(range: ReportRangeName): string {
  return { today: 'Today', last7Days: 'Last 7 days', month: 'This month', all: 'All time' }[range];
}

/** Whether `value` names a range (for validating messages and flags). */
export function isReportRangeName(value: unknown): value is ReportRangeName {
  return typeof value === 'string' && (REPORT_RANGE_NAMES as readonly string[]).includes(value);
}
