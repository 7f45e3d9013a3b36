import type { MoneyAmount } from './money';
import type { ReportRangeName } from './reportPeriods';
import type { RunJobCounts, RunStatus } from './runRecord';
import type { SavingsReport } from './savings';

/** ok below 80% of a budget, warning from 80%, exceeded from 100%; ok when there is no budget. */
export type BudgetLevel = 'ok' | 'warning' | 'exceeded';

/** Spending against `promptmeter.budget.*`. */
export interface BudgetStatus {
  /** Monthly budget in USD; null when none is set. */
  readonly monthly: number | null;
  /** Budget of one run in USD; null when none is set. */
  readonly perRun: number | null;
  /** Month-to-date spend (from the ledger). */
  readonly used: MoneyAmount;
  /** used.knownUsd / monthly; null without a monthly budget. */
  readonly fraction: number | null;
  readonly level: BudgetLevel;
  /** Runs among `recentRuns` whose spend is past the per-run budget. */
  readonly runsOverBudget: number;
}

/** Spend of one group of entries: a model, a prompt file or a run. */
export interface SpendRow {
  /** The model, the prompt file (workspace-relative) or the run id; "(no source)" for entries without one. */
  readonly name: string;
  /** Ledger entries, cache hits included. */
  readonly calls: number;
  /** Entries answered from a cache tier or by another call (in flight or batch dedupe). */
  readonly cacheHits: number;
  readonly inputTokens: number;
  readonly cachedTokens: number;
  readonly outputTokens: number;
  readonly spend: MoneyAmount;
  /** All causes' savings found in these entries. */
  readonly saved: MoneyAmount;
  /** spend.knownUsd / the range's known spend; null when that is 0. */
  readonly share: number | null;
}

/** A prompt file row also says whether it names a file (and so can be opened). */
export interface FileSpendRow extends SpendRow {
  /** The workspace-relative file, or null for entries without a source. */
  readonly source: string | null;
}

/** One prompt file on one model in the most expensive list. */
export interface PromptSpend {
  readonly source: string | null;
  /** The job (e.g. a Batch line's custom_id) when all of its calls were one job; null otherwise. */
  readonly jobId: string | null;
  readonly model: string;
  readonly calls: number;
  readonly spend: MoneyAmount;
  /** ISO time of its latest call. */
  readonly lastTime: string;
}

/** Calls and spend of one outcome (`ok`, `error`, …) or endpoint value, whatever values the ledger holds. */
export interface CallsSpend {
  readonly name: string;
  readonly calls: number;
  readonly spend: MoneyAmount;
}

/** One local calendar day of the spend-over-time chart. */
export interface DailySpend {
  /** `YYYY-MM-DD`, local time. */
  readonly day: string;
  readonly calls: number;
  readonly spend: MoneyAmount;
  readonly saved: MoneyAmount;
}

/** A batch run (from run.json and/or its ledger entries), whole-run figures regardless of the range. */
export interface RunSummary {
  readonly id: string;
  readonly status: RunStatus | 'unknown';
  readonly source: string | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly jobs: RunJobCounts | null;
  /** Spend of its ledger entries. */
  readonly spend: MoneyAmount;
  /** The run's own estimate before it started (run.json), when known. */
  readonly estimateUsd: number | null;
  readonly calls: number;
  readonly cacheHits: number;
  /** The message of its latest failed call, if any (API text: render as text only). */
  readonly lastError: string | null;
  /** spend.knownUsd / perRun budget; null without one. */
  readonly budgetFraction: number | null;
  readonly budgetLevel: BudgetLevel;
}

/**
 * Everything the Cost Report view and `promptmeter report --json` show. Pure data (JSON-safe): built by
 * `buildCostReport` from the ledger, the runs and the prices.
 */
export interface CostReport {
  readonly version: 1;
  /** ISO time the report was computed for ("now"). */
  readonly generatedAt: string;
  /** What the breakdowns cover: `since` is null for all time. */
  readonly range: { readonly name: ReportRangeName | 'since'; readonly since: string | null; readonly until: string };
  readonly spend: {
    readonly today: MoneyAmount;
    /** Today and the six days before. */
    readonly last7Days: MoneyAmount;
    /** Month to date. */
    readonly month: MoneyAmount;
    /** The whole range. */
    readonly range: MoneyAmount;
    readonly calls: number;
  };
  readonly byModel: readonly SpendRow[];
  readonly byFile: readonly FileSpendRow[];
  readonly byRun: readonly SpendRow[];
  readonly daily: readonly DailySpend[];
  readonly topPrompts: readonly PromptSpend[];
  readonly savings: SavingsReport;
  /**
   * Answers paid for in the range that were not successes (ledger outcome `truncated`: cut off by the output cap
   * or the content filter, or empty). Part of `spend.range`; never a saving.
   */
  readonly truncated: { readonly spend: MoneyAmount; readonly calls: number };
  /** The range's calls and spend by outcome; money spent on failed or truncated answers shows here. */
  readonly outcomes: readonly CallsSpend[];
  /** The range's calls and spend by API endpoint. */
  readonly endpoints: readonly CallsSpend[];
  readonly budget: BudgetStatus;
  readonly recentRuns: readonly RunSummary[];
  /**
   * Rows left out of each capped list (see `REPORT_LIMITS`); all 0 in a complete report (exports). Lists are in
   * order, so the rows shown are the most expensive (or, for runs, the newest).
   */
  readonly more: {
    readonly byModel: number;
    readonly byFile: number;
    readonly byRun: number;
    readonly topPrompts: number;
    readonly recentRuns: number;
  };
  /** Date of the bundled price data. */
  readonly pricesAsOf: string;
  /** Where the prices come from, e.g. "@pydantic/genai-prices 0.1.8" (+ the user's overrides when there are any). */
  readonly priceSource: string;
  readonly ledger: {
    /** All entries in the ledger (any time). */
    readonly entries: number;
    /** Lines that were not entries (torn or foreign), plus entries with an unreadable time. */
    readonly skippedLines: number;
    readonly firstTime: string | null;
    readonly lastTime: string | null;
  };
}
