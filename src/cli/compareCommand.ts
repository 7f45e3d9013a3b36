import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_COMPARISON_ROWS, DEFAULT_MINIMUM_PASS } from '../core/compare/compareModels';
import { ComparisonStore } from '../core/compare/comparisonStore';
import { ComparisonSetupError, prepareComparison } from '../core/compare/prepareComparison';
import { comparisonPlanLines, runComparison } from '../core/compare/runComparison';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import { SIMILARITY_MODEL } from '../core/models/defaultModels';
import type { PromptMeterSettings } from '../core/settings/settings';
import { parseArguments, UsageError } from './cliArguments';
import { CLIENT_FLAGS, createCliClient } from './cliClient';
import { comparisonJson, comparisonText } from './compareText';
import type { CommandIo } from './estimateCommand';
import { findPromptFiles } from './findPromptFiles';

export const COMPARE_USAGE =
  'promptmeter compare <file> [--models a,b,c] [--rows N] [--min-pass 0.9] [--seed N] [--data FILE] [--base-url URL] [--yes] [--json]';

/** What compare needs beyond the other commands: a yes/no question on the terminal (absent: `--yes` is required). */
export type CompareIo = CommandIo & { readonly confirm?: (question: string) => Promise<boolean> };

/**
 * `promptmeter compare`: the current model and up to three cheaper candidates answer N sampled rows; prints the
 * table (or `--json`), saves the comparison under `.promptmeter/comparisons/`. Exit codes: 0 done, 2 bad arguments
 * or not confirmed, 130 cancelled.
 */
export async function compareCommand(
  argv: readonly string[],
  settings: PromptMeterSettings,
  io: CompareIo,
): Promise<number> {
  const { positionals, flags } = parseArguments(argv, {
    ...CLIENT_FLAGS,
    models: 'string',
    rows: 'number',
    'min-pass': 'number',
    seed: 'number',
    data: 'string',
    yes: 'boolean',
    json: 'boolean',
  });
  if (positionals.length !== 1) throw new UsageError('compare needs exactly one prompt file.');
  const threshold = typeof flags['min-pass'] === 'number' ? flags['min-pass'] : DEFAULT_MINIMUM_PASS;
  if (threshold > 1)
    throw new UsageError(`--min-pass is a share between 0 and 1 (got ${threshold}); e.g. --min-pass 0.9 for 90%.`);
  const rowCount = typeof flags.rows === 'number' ? Math.floor(flags.rows) : DEFAULT_COMPARISON_ROWS;
  const [entry] = findPromptFiles(positionals, settings.promptFolders, io.cwd);
  if (!entry) throw new UsageError(`${positionals[0]} is not a prompt file.`);
  const setup = createCliClient(flags, settings, io);
  try {
    const text = readFileSync(entry.absolutePath, 'utf8');
    const prepared = await prepareComparison({
      estimator: setup.estimator,
      file: entry.displayPath,
      absolutePath: entry.absolutePath,
      text,
      format: entry.format,
      rowCount,
      models:
        typeof flags.models === 'string'
          ? flags.models
              .split(',')
              .map((model) => model.trim())
              .filter(Boolean)
          : undefined,
      ...(typeof flags.data === 'string' ? { dataFile: path.resolve(io.cwd, flags.data) } : {}),
    }).catch((error: unknown) => {
      throw error instanceof ComparisonSetupError ? new UsageError(error.message) : error;
    });
    for (const problem of prepared.problems) io.stderr(`promptmeter: ${problem}\n`);
    (flags.json ? io.stderr : io.stdout)(`${comparisonPlanLines(prepared, entry.displayPath).join('\n')}\n`);
    if (flags.yes !== true) {
      if (!io.confirm)
        throw new UsageError('compare spends money: re-run with --yes to start (no terminal to ask on).');
      if (!(await io.confirm('Start the comparison? [y/N] '))) {
        io.stderr('promptmeter: nothing was sent.\n');
        return 2;
      }
    }
    const { saved, savedPath } = await runComparison({
      setup: prepared,
      file: entry.displayPath,
      text,
      threshold,
      seed: typeof flags.seed === 'number' ? flags.seed : 1,
      client: setup.client,
      pricing: setup.pricing,
      overrides: setup.settings.pricingOverrides,
      similarityModel: SIMILARITY_MODEL,
      ledgerEntries: readRecentLedgerEntries(setup.ledgerPath),
      store: new ComparisonStore(setup.layout.comparisons),
      now: () => new Date(),
      random: randomBytes(4).toString('hex'),
      signal: io.signal,
      ...(typeof flags.concurrency === 'number' ? { concurrency: Math.floor(flags.concurrency) } : {}),
      onProgress:
        flags.json || !io.interactive ? undefined : (done, total) => io.stderr(`\r  ${done}/${total} answered   `),
    });
    if (io.interactive && !flags.json) io.stderr('\n');
    if (flags.json) io.stdout(`${JSON.stringify(comparisonJson(saved), null, 2)}\n`);
    else io.stdout(comparisonText(saved, path.relative(io.cwd, savedPath)));
    return 0;
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr(
        'promptmeter: comparison cancelled; answers received so far are cached, so running it again costs only the rest.\n',
      );
      return 130;
    }
    throw error;
  } finally {
    await setup.close();
  }
}
