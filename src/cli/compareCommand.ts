import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareModels, DEFAULT_COMPARISON_ROWS, DEFAULT_MINIMUM_PASS } from '../core/compare/compareModels';
import { ComparisonStore, promptTextHash } from '../core/compare/comparisonStore';
import type { Evaluator } from '../core/compare/evaluators';
import { monthlyCalls } from '../core/compare/monthlyVolume';
import { ComparisonSetupError, prepareComparison } from '../core/compare/prepareComparison';
import { formatUsd } from '../core/estimate/formatting';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import type { DatasetRow } from '../core/runs/dataset';
import { SIMILARITY_MODEL } from '../core/runs/runService';
import type { PromptMeterSettings } from '../core/settings/settings';
import { parseArguments, UsageError } from './cliArguments';
import { CLIENT_FLAGS, createCliClient } from './cliClient';
import { changeText, comparisonJson, comparisonText } from './compareText';
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
export async function compareCommand(argv: readonly string[], settings: PromptMeterSettings, io: CompareIo): Promise<number> {
  const { positionals, flags } = parseArguments(argv, {
    ...CLIENT_FLAGS, models: 'string', rows: 'number', 'min-pass': 'number', seed: 'number', data: 'string', yes: 'boolean', json: 'boolean',
  });
  if (positionals.length !== 1) throw new UsageError('compare needs exactly one prompt file.');
  const threshold = typeof flags['min-pass'] === 'number' ? flags['min-pass'] : DEFAULT_MINIMUM_PASS;
  if (threshold > 1) throw new UsageError(`--min-pass is a share between 0 and 1 (got ${threshold}); e.g. --min-pass 0.9 for 90%.`);
  const rowCount = typeof flags.rows === 'number' ? Math.floor(flags.rows) : DEFAULT_COMPARISON_ROWS;
  const [entry] = findPromptFiles(positionals, settings.promptFolders, io.cwd);
  if (!entry) throw new UsageError(`${positionals[0]} is not a prompt file.`);
  const setup = createCliClient(flags, settings, io);
  try {
    const text = readFileSync(entry.absolutePath, 'utf8');
    const evaluation = promptEvaluation(setup.estimator.parse(entry.displayPath, text, entry.format));
    const prepared = await prepareComparison({
      estimator: setup.estimator, file: entry.displayPath, absolutePath: entry.absolutePath, text, format: entry.format, rowCount,
      models: typeof flags.models === 'string' ? flags.models.split(',').map((model) => model.trim()).filter(Boolean) : undefined,
      ...(typeof flags.data === 'string' ? { dataFile: path.resolve(io.cwd, flags.data) } : {}),
      ...evaluation,
    }).catch((error: unknown) => {
      throw error instanceof ComparisonSetupError ? new UsageError(error.message) : error;
    });
    for (const problem of prepared.problems) io.stderr(`promptmeter: ${problem}\n`);
    const { estimate, rows, candidates } = prepared;
    const plan = [
      `Compare ${entry.displayPath} on ${prepared.rowCount} of ${rows.length} rows: ${candidates.length * prepared.rowCount} calls`,
      ...candidates.map((candidate, index) => `  ${index === 0 ? 'current  ' : 'candidate'} ${candidate.model}${candidate.changes.length > 1 ? ` (${candidate.changes.slice(1).map(changeText).join(', ')})` : ''}`),
      `  estimated cost ${prepared.estimatedUsd === null ? 'unknown (a price is unknown)' : `~${formatUsd(prepared.estimatedUsd)}`}${prepared.judged ? ' plus the judge calls' : ''}, less what the cache answers`,
    ].join('\n');
    (flags.json ? io.stderr : io.stdout)(`${plan}\n`);
    if (flags.yes !== true) {
      if (!io.confirm) throw new UsageError('compare spends money: re-run with --yes to start (no terminal to ask on).');
      if (!(await io.confirm('Start the comparison? [y/N] '))) {
        io.stderr('promptmeter: nothing was sent.\n');
        return 2;
      }
    }
    const now = new Date();
    const comparisonId = ComparisonStore.newId(now, randomBytes(4).toString('hex'));
    const saved = await compareModels({
      prompt: estimate.prompt, file: entry.displayPath, task: estimate.task, rows, rowCount: prepared.rowCount,
      seed: typeof flags.seed === 'number' ? flags.seed : 1, candidates, client: setup.client, pricing: setup.pricing,
      overrides: setup.settings.pricingOverrides, evaluators: prepared.evaluators, threshold, similarityModel: SIMILARITY_MODEL, comparisonId,
      promptHash: promptTextHash(text), now: () => new Date(), monthlyCalls: monthlyCalls(readRecentLedgerEntries(setup.ledgerPath), entry.displayPath, now),
      signal: io.signal, ...(typeof flags.concurrency === 'number' ? { concurrency: Math.floor(flags.concurrency) } : {}),
      onProgress: flags.json || !io.interactive ? undefined : (done, total) => io.stderr(`\r  ${done}/${total} answered   `),
    });
    if (io.interactive && !flags.json) io.stderr('\n');
    const savedPath = new ComparisonStore(setup.layout.comparisons).save(saved);
    if (flags.json) io.stdout(`${JSON.stringify(comparisonJson(saved), null, 2)}\n`);
    else io.stdout(comparisonText(saved, path.relative(io.cwd, savedPath)));
    return 0;
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr('promptmeter: comparison cancelled; answers received so far are cached, so running it again costs only the rest.\n');
      return 130;
    }
    throw error;
  } finally {
    await setup.close();
  }
}

/**
 * The prompt's own evaluators and test data (`.prompt.yml`), when its parser provides them. The `.prompt.yml`
 * parser (another change) exposes them on the parsed file; until then no prompt has any.
 */
function promptEvaluation(parsed: unknown): { evaluators?: Evaluator[]; testData?: DatasetRow[] } {
  const candidate = parsed as { evaluators?: Evaluator[]; testData?: DatasetRow[] };
  return {
    ...(Array.isArray(candidate.evaluators) && candidate.evaluators.length > 0 ? { evaluators: candidate.evaluators } : {}),
    ...(Array.isArray(candidate.testData) && candidate.testData.length > 0 ? { testData: candidate.testData } : {}),
  };
}
