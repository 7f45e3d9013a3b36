import { formatMoney } from '../report/formatMoney';
import { planText } from './runSummary';
import type { RunChoice, RunEngineKind, RunOffer } from './runSession';

/** One button of the plan dialog. */
export interface OfferChoice {
  readonly label: string;
  readonly choice: RunChoice;
}

/** The buttons a front end shows for the plan, and which one Enter picks. */
export interface OfferChoices {
  readonly choices: readonly OfferChoice[];
  /** `choices[0]`, the default: Don't Run whenever an engine is over budget, else the suggested engine. */
  readonly overBudget: boolean;
}

/**
 * The default button when over budget. Not labelled "Cancel": VS Code's modal adds its own Cancel (Escape) after the
 * buttons and makes the first button the default, so a first button of our own is the only way to make Enter not
 * run — and two buttons both called Cancel read as a bug.
 */
const DONT_RUN: OfferChoice = { label: "Don't Run", choice: 'cancel' };

/**
 * The plan dialog's buttons: one per engine the run may use (the suggested one first), each labelled with its
 * own budget verdict. When anything is over budget Don't Run comes first, so it is the default, and an over-budget
 * engine says so in its label; no button names a CLI flag.
 */
export function offerChoices(offer: RunOffer): OfferChoices {
  const engines: RunEngineKind[] = offer.only
    ? [offer.only]
    : offer.suggested === 'batchApi'
      ? ['batchApi', 'standard']
      : ['standard', 'batchApi'];
  const over = (engine: RunEngineKind) => offer.budget[engine].level === 'exceeded';
  const label = (engine: RunEngineKind) => {
    if (engine === 'standard') return over(engine) ? 'Run Anyway (Over Budget)' : 'Run';
    const text = `Run with Batch API (${formatMoney(offer.cost.batchApi)}, within 24 h)`;
    return over(engine) ? `${text} Anyway (Over Budget)` : text;
  };
  const runs = engines.map((engine): OfferChoice => ({
    label: label(engine),
    choice: { engine, ...(over(engine) ? { overBudget: true } : {}) },
  }));
  const overBudget = engines.some(over);
  return { choices: overBudget ? [DONT_RUN, ...runs] : runs, overBudget };
}

/** The dialog's text under its title: the plan, what is not sent and why, other notes, the budget verdicts. */
export function offerDetail(offer: RunOffer): string {
  const budgetLines = offer.only
    ? offer.budget[offer.only].messages
    : [
        ...new Set([
          ...offer.budget.standard.messages.map((line) =>
            offer.budget.batchApi.messages.includes(line) ? line : `Standard: ${line}`,
          ),
          ...offer.budget.batchApi.messages
            .filter((line) => !offer.budget.standard.messages.includes(line))
            .map((line) => `Batch API: ${line}`),
        ]),
      ];
  const skipped =
    offer.skipped.length > 0
      ? [
          `Not sent (${offer.skipped.length}): ${offer.skipped.slice(0, 3).join(' ')}${offer.skipped.length > 3 ? ` … and ${offer.skipped.length - 3} more (see the Prompt Meter log)` : ''}`,
        ]
      : [];
  return [...planText(offer.plan), ...skipped, ...offer.notes, ...budgetLines].join('\n');
}
