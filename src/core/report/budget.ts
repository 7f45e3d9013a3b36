import { formatBudgetUsd } from '../estimate/formatting';
import type { BudgetLevel, BudgetStatus, CostReport, RunSummary } from './costReportTypes';
import type { MoneyAmount } from './money';

/** A budget is at `warning` from this fraction on, and `exceeded` from 1. */
export const BUDGET_WARNING_FRACTION = 0.8;

/** The level of `usedUsd` against `budgetUsd` (ok without a budget). */
export function budgetLevel(usedUsd: number, budgetUsd: number | null | undefined): BudgetLevel {
  if (!budgetUsd || budgetUsd <= 0) return 'ok';
  const fraction = usedUsd / budgetUsd;
  if (fraction >= 1) return 'exceeded';
  return fraction >= BUDGET_WARNING_FRACTION ? 'warning' : 'ok';
}

/** A run's spend against the per-run budget (known spend; unknown prices cannot be counted against it). */
export function runBudget(
  spend: MoneyAmount,
  perRunUsd: number | undefined,
): Pick<RunSummary, 'budgetFraction' | 'budgetLevel'> {
  if (!perRunUsd || perRunUsd <= 0) return { budgetFraction: null, budgetLevel: 'ok' };
  return { budgetFraction: spend.knownUsd / perRunUsd, budgetLevel: budgetLevel(spend.knownUsd, perRunUsd) };
}

/** Month-to-date spend against the monthly budget; `budget` values of 0 or less mean "no budget". */
export function budgetStatus(
  monthToDate: MoneyAmount,
  budget: { readonly monthlyUsd?: number; readonly perRunUsd?: number } | undefined,
  runs: readonly RunSummary[],
): BudgetStatus {
  const monthly = budget?.monthlyUsd && budget.monthlyUsd > 0 ? budget.monthlyUsd : null;
  const perRun = budget?.perRunUsd && budget.perRunUsd > 0 ? budget.perRunUsd : null;
  return {
    monthly,
    perRun,
    used: monthToDate,
    fraction: monthly === null ? null : monthToDate.knownUsd / monthly,
    level: budgetLevel(monthToDate.knownUsd, monthly),
    runsOverBudget: runs.filter((run) => run.budgetLevel === 'exceeded').length,
  };
}

/** What {@link budgetGate} decided about starting a run. */
export interface BudgetDecision {
  /** false: the run must not start (past 100% of a budget) unless the user overrides. */
  readonly allowed: boolean;
  /** The worse of the monthly and per-run levels after the planned spend. */
  readonly level: BudgetLevel;
  /** Whether a refusal was overridden (`allowed` is then true although `level` is exceeded). */
  readonly overridden: boolean;
  /** One sentence per budget that is at warning or past it, or whose check was impossible (unknown estimate). */
  readonly messages: readonly string[];
}

/**
 * Decides whether a run that is estimated to cost `plannedUsd` may start. It is refused when the month is
 * already at or past the monthly budget, when month-to-date + planned goes past it, or when planned goes past
 * the per-run budget — unless `override` is set. From 80% it is allowed with a warning. An unknown estimate
 * (`null`) cannot be checked against a budget: the run gets a warning, and is still refused when the month is
 * already spent.
 */
export function budgetGate(
  report: Pick<CostReport, 'budget'>,
  plannedUsd: number | null,
  options: { readonly override?: boolean } = {},
): BudgetDecision {
  const { monthly, perRun, used } = report.budget;
  const messages: string[] = [];
  const levels: BudgetLevel[] = [];
  const money = formatBudgetUsd;
  if (monthly !== null) {
    const projected = used.knownUsd + (plannedUsd ?? 0);
    let level = budgetLevel(projected, monthly);
    // Spending exactly up to the budget is allowed; only going past it (or starting with nothing left) is not.
    if (level === 'exceeded' && projected <= monthly && used.knownUsd < monthly) level = 'warning';
    levels.push(level);
    if (used.knownUsd >= monthly)
      messages.push(`The monthly budget of ${money(monthly)} is spent (${money(used.knownUsd)} this month).`);
    else if (level === 'exceeded')
      messages.push(
        `This run (~${money(plannedUsd ?? 0)}) would take this month's spend to ${money(projected)}, past the monthly budget of ${money(monthly)}.`,
      );
    else if (level === 'warning')
      messages.push(
        `After this run this month's spend would be ${money(projected)}, ${Math.round((projected / monthly) * 100)}% of the monthly budget of ${money(monthly)}.`,
      );
    if (used.unpriced > 0)
      messages.push(
        `${used.unpriced} call(s) this month have an unknown price and are not counted against the budget.`,
      );
  }
  if (perRun !== null && plannedUsd !== null) {
    let level = budgetLevel(plannedUsd, perRun);
    if (level === 'exceeded' && plannedUsd <= perRun) level = 'warning';
    levels.push(level);
    if (level === 'exceeded')
      messages.push(`This run's estimate (~${money(plannedUsd)}) is past the per-run budget of ${money(perRun)}.`);
    else if (level === 'warning')
      messages.push(
        `This run's estimate (~${money(plannedUsd)}) is ${Math.round((plannedUsd / perRun) * 100)}% of the per-run budget of ${money(perRun)}.`,
      );
  }
  if (plannedUsd === null && (monthly !== null || perRun !== null)) {
    levels.push('warning');
    messages.push(
      'The cost of this run is unknown (a model without a price), so it cannot be checked against the budget.',
    );
  }
  const level: BudgetLevel = levels.includes('exceeded') ? 'exceeded' : levels.includes('warning') ? 'warning' : 'ok';
  const refused = level === 'exceeded';
  return {
    allowed: !refused || options.override === true,
    level,
    overridden: refused && options.override === true,
    messages,
  };
}
