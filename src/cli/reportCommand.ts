import path from 'node:path';
import { ledgerPathOf, loadCostReport, runsFolderOf } from '../core/report/loadCostReport';
import { datedPriceLookup } from '../core/report/priceLookup';
import { isReportRangeName, REPORT_RANGE_NAMES } from '../core/report/reportPeriods';
import { parseSettings } from '../core/settings/settings';
import { parseArguments, UsageError } from './cliArguments';
import type { CommandIo } from './estimateCommand';
import { reportText } from './reportText';
import { readWorkspaceSettings } from './workspaceSettings';

export const REPORT_USAGE =
  'promptmeter report [--since DATE | --range today|last7Days|month|all] [--ledger FILE|FOLDER] [--all] [--json]';

/**
 * `promptmeter report`: what was spent, on what, and what each optimization saved, from the cost ledger
 * (`.promptmeter/ledger/` under the current folder, or the file or folder given with `--ledger`; reading the folder
 * moves an old `.promptmeter/ledger.jsonl` into it once). The same numbers as the Cost Report
 * view: the same core, the same default range (this month), the budgets and price overrides of the folder's
 * `.vscode/settings.json`. `--json` prints exactly one object (see `CostReport`); `--all` keeps every row of every list.
 */
export async function reportCommand(argv: readonly string[], io: CommandIo, now: Date = new Date()): Promise<number> {
  const { positionals, flags } = parseArguments(argv, {
    since: 'string',
    range: 'string',
    ledger: 'string',
    json: 'boolean',
    all: 'boolean',
  });
  if (positionals.length > 0)
    throw new UsageError(`report takes no paths (got "${positionals[0]}"); use --ledger FILE.`);
  if (flags.since !== undefined && flags.range !== undefined)
    throw new UsageError('--since and --range cannot be used together.');
  if (flags.range !== undefined && !isReportRangeName(flags.range))
    throw new UsageError(`--range must be one of ${REPORT_RANGE_NAMES.join(', ')}.`);
  const since = typeof flags.since === 'string' ? parseSince(flags.since) : undefined;

  const workspace = readWorkspaceSettings(io.cwd);
  if (workspace.problem) io.stderr(`promptmeter: ${workspace.problem}\n`);
  const { settings, problems } = parseSettings(workspace.raw);
  for (const problem of problems) io.stderr(`promptmeter: ${problem}\n`);
  const report = await loadCostReport({
    ledgerPath: typeof flags.ledger === 'string' ? path.resolve(io.cwd, flags.ledger) : ledgerPathOf(io.cwd),
    runsFolder: runsFolderOf(io.cwd),
    now,
    pricing: datedPriceLookup(settings.pricingOverrides),
    hasPriceOverrides: Object.keys(settings.pricingOverrides).length > 0,
    budget: { monthlyUsd: settings.budgetMonthlyUsd, perRunUsd: settings.budgetPerRunUsd },
    range: isReportRangeName(flags.range) ? flags.range : undefined,
    since,
    complete: flags.all === true,
  });
  io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : reportText(report));
  return 0;
}

/** `2026-11-01` is local midnight (like the view's days); anything else is parsed as an ISO 8601 instant. */
function parseSince(value: string): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--since needs a date like 2026-11-01 or an ISO time (got "${value}").`);
  return date;
}
