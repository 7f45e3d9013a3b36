import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { comparisonCandidates, estimatedTrialUsd } from '../core/compare/compareCandidates';
import { compareModels, DEFAULT_COMPARISON_ROWS, DEFAULT_MINIMUM_PASS } from '../core/compare/compareModels';
import { ComparisonStore, promptTextHash } from '../core/compare/comparisonStore';
import type { Evaluator } from '../core/compare/evaluators';
import { monthlyCalls } from '../core/compare/monthlyVolume';
import { formatUsd } from '../core/estimate/formatting';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import { readDatasetFile, type DatasetRow } from '../core/runs/dataset';
import { SIMILARITY_MODEL } from '../core/runs/runService';
import type { PromptMeterSettings } from '../core/settings/settings';
import { ENCODING_NAMES } from '../core/tokens/encodingForModel';
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
    await setup.estimator.load(ENCODING_NAMES);
    const parsed = setup.estimator.parse(entry.displayPath, text, entry.format);
    const estimate = (await setup.estimator.estimate(parsed, text)).estimates.find((candidate) => candidate.prompt.kind === 'chat');
    if (!estimate) throw new UsageError(`${entry.displayPath} has no chat prompt to compare (embeddings and files with errors cannot be compared).`);
    const dataFile = typeof flags.data === 'string' ? path.resolve(io.cwd, flags.data) : estimate.prompt.dataFile && path.resolve(path.dirname(entry.absolutePath), estimate.prompt.dataFile);
    const evaluation = promptEvaluation(parsed);
    const dataset = evaluation.rows ? { rows: evaluation.rows, problems: [] } : dataFile ? readDatasetFile(dataFile) : undefined;
    if (!dataset) throw new UsageError(dataFile ? `the dataset ${path.relative(io.cwd, dataFile)} could not be read.` : `${entry.displayPath} has no dataset: add data: <file.csv> to its front matter, or pass --data FILE.`);
    for (const problem of dataset.problems) io.stderr(`promptmeter: dataset: ${problem}\n`);
    const models = typeof flags.models === 'string' ? flags.models.split(',').map((model) => model.trim()).filter(Boolean) : undefined;
    const selection = comparisonCandidates(estimate, setup.estimator.options(), models);
    for (const problem of selection.problems) io.stderr(`promptmeter: ${problem}\n`);
    if (selection.candidates.length < 2) throw new UsageError(`no candidate model to compare ${estimate.model} with${models ? '' : ' (none is cheaper and valid for this prompt)'}; name some with --models a,b,c.`);
    const rows = Math.min(rowCount, dataset.rows.length);
    const estimated = estimatedTrialUsd(selection.candidates, rows);
    const plan = [
      `Compare ${entry.displayPath} on ${rows} of ${dataset.rows.length} rows: ${selection.candidates.length * rows} calls`,
      ...selection.candidates.map((candidate, index) => `  ${index === 0 ? 'current  ' : 'candidate'} ${candidate.model}${candidate.changes.length > 1 ? ` (${candidate.changes.slice(1).map(changeText).join(', ')})` : ''}`),
      `  estimated cost ${estimated === null ? 'unknown (a price is unknown)' : `~${formatUsd(estimated)}`}${evaluation.evaluators?.some((evaluator) => evaluator.llm) ? ' plus the judge calls' : ''}, less what the cache answers`,
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
      prompt: estimate.prompt, file: entry.displayPath, task: estimate.task, rows: dataset.rows, rowCount: rows,
      seed: typeof flags.seed === 'number' ? flags.seed : 1, candidates: selection.candidates, client: setup.client, pricing: setup.pricing,
      overrides: setup.settings.pricingOverrides, evaluators: evaluation.evaluators, threshold, similarityModel: SIMILARITY_MODEL, comparisonId,
      promptHash: promptTextHash(text), now: () => new Date(), monthlyCalls: monthlyCalls(readRecentLedgerEntries(setup.ledger.filePath), entry.displayPath, now),
      signal: io.signal, ...(typeof flags.concurrency === 'number' ? { concurrency: Math.floor(flags.concurrency) } : {}),
      onProgress: flags.json || !io.interactive ? undefined : (done, total) => io.stderr(`\r  ${done}/${total} answered   `),
    });
    if (io.interactive && !flags.json) io.stderr('\n');
    const savedPath = new ComparisonStore(path.join(setup.promptMeterFolder, 'comparisons')).save(saved);
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
function promptEvaluation(parsed: unknown): { evaluators?: Evaluator[]; rows?: DatasetRow[] } {
  const candidate = parsed as { evaluators?: Evaluator[]; testData?: DatasetRow[] };
  return {
    ...(Array.isArray(candidate.evaluators) && candidate.evaluators.length > 0 ? { evaluators: candidate.evaluators } : {}),
    ...(Array.isArray(candidate.testData) && candidate.testData.length > 0 ? { rows: candidate.testData } : {}),
  };
}
