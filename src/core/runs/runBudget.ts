import { budgetGate, type BudgetDecision } from '../report/budget';
import { loadCostReport } from '../report/loadCostReport';
import { datedPriceLookup } from '../report/priceLookup';
import type { PromptMeterSettings } from '../settings/settings';

export interface RunBudgetInputs {
  readonly ledgerPath: string;
  readonly runsFolder: string;
  readonly settings: PromptMeterSettings;
  /** Per-run budget from `--budget`, replacing `promptmeter.budget.perRun`. */
  readonly perRunUsd?: number;
  readonly plannedUsd: number | null;
  readonly override: boolean;
  readonly now?: Date;
}

/**
 * The budget gate before a run: month-to-date spend from the ledger plus the run's estimate against
 * `promptmeter.budget.monthly`, and the estimate against the per-run budget. Past 100% the run does not start
 * unless overridden; from 80% it starts with a warning.
 */
export async function checkRunBudget(inputs: RunBudgetInputs): Promise<BudgetDecision> {
  const report = await loadCostReport({
    ledgerPath: inputs.ledgerPath,
    runsFolder: inputs.runsFolder,
    now: inputs.now ?? new Date(),
    pricing: datedPriceLookup(inputs.settings.pricingOverrides),
    budget: {
      monthlyUsd: inputs.settings.budgetMonthlyUsd,
      perRunUsd: inputs.perRunUsd ?? inputs.settings.budgetPerRunUsd,
    },
  });
  return budgetGate(report, inputs.plannedUsd, { override: inputs.override });
}
