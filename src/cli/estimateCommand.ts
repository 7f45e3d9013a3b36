import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createFileDocumentReader } from '../core/chunking/fileDocumentReader';
import { Estimator } from '../core/estimate/estimator';
import { reasoningHistoryFrom } from '../core/estimate/reasoningHistory';
import { readRecentLedgerEntries } from '../core/ledger/recentEntries';
import { ledgerPathOf } from '../core/report/loadCostReport';
import { tooLargeDiagnostic } from '../core/prompts/parsePromptFile';
import { estimateDatasetRuns } from '../core/runs/datasetEstimate';
import type { PromptMeterSettings } from '../core/settings/settings';
import { Tokenizers } from '../core/tokens/tokenizers';
import { parseArguments, UsageError } from './cliArguments';
import { estimateJson } from './estimateReport';
import { estimateText } from './estimateText';
import { findPromptFiles } from './findPromptFiles';

export const ESTIMATE_USAGE = 'promptmeter estimate <paths...> [--model M] [--json]';

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly assetDirectory: string;
  /** Environment (OPENAI_API_KEY for `run`). */
  readonly env?: NodeJS.ProcessEnv;
  /** Aborted on Ctrl+C. */
  readonly signal?: AbortSignal;
  /** stderr is a terminal: show live progress. */
  readonly interactive?: boolean;
}

/**
 * `promptmeter estimate`: token counts and estimated costs of prompt files and folders, no network.
 * Exit 0, or 1 when a file has errors (broken front matter, malformed batch lines, context overflow).
 */
export async function estimateCommand(
  argv: readonly string[],
  settings: PromptMeterSettings,
  io: CommandIo,
): Promise<number> {
  const { positionals, flags } = parseArguments(argv, { model: 'string', json: 'boolean' });
  if (positionals.length === 0) throw new UsageError('estimate needs at least one file or folder.');
  const files = findPromptFiles(positionals, settings.promptFolders, io.cwd);
  const tokenizers = new Tokenizers(io.assetDirectory);
  try {
    const estimator = new Estimator(tokenizers, settings, undefined, createFileDocumentReader(io.cwd));
    // Ledger sources are the paths `run` was given from this folder, as estimate's are: they match as written.
    estimator.useReasoningHistory(reasoningHistoryFrom(readRecentLedgerEntries(ledgerPathOf(io.cwd))));
    const model = typeof flags.model === 'string' ? flags.model : undefined;
    const results: Array<Parameters<typeof estimateJson>[0][number]> = [];
    for (const file of files) {
      const size = statSync(file.absolutePath).size;
      const text = size > settings.maxFileBytes ? '' : readFileSync(file.absolutePath, 'utf8');
      const parsed =
        size > settings.maxFileBytes
          ? {
              file: file.displayPath,
              format: file.format,
              prompts: [],
              diagnostics: [tooLargeDiagnostic(size, settings.maxFileBytes)],
            }
          : estimator.parse(file.displayPath, text, file.format);
      const estimate = await estimator.estimate(parsed, text, model);
      const datasets = await estimateDatasetRuns(
        parsed,
        file.absolutePath,
        estimator.options(model, false),
        settings.pricingOverrides,
      );
      results.push({ displayPath: file.displayPath, estimate, datasets });
    }
    const report = estimateJson(results);
    if (model && !report.prompts.some((prompt) => prompt.priceKnown)) {
      io.stderr(
        `promptmeter: no price known for model "${model}": costs are shown as unknown. Add it to promptmeter.pricing.overrides.\n`,
      );
    }
    io.stdout(flags.json ? `${JSON.stringify(report, null, 2)}\n` : estimateText(report));
    return report.diagnostics.some((diagnostic) => diagnostic.severity === 'error') ? 1 : 0;
  } finally {
    tokenizers.dispose();
  }
}

export function defaultAssetDirectory(): string {
  return path.join(__dirname, 'assets', 'tiktoken');
}
