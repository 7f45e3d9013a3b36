import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Estimator } from '../../src/core/estimate/estimator';
import { recommendationEdits } from '../../src/core/estimate/recommendationEdits';
import { applyEdits, setModelEdits } from '../../src/core/prompts/promptEdits';
import { promptFormatFor } from '../../src/core/prompts/promptFileKind';
import { Tokenizers } from '../../src/core/tokens/tokenizers';
import { runCli } from '../../test/support/cli';
import { repositoryRoot, tokenizerAssets } from '../../test/support/repository';

/** One example prompt: its recommendation, applied, and what running the applied file against the server gave. */
export interface TrialRow {
  readonly file: string;
  readonly model: string;
  readonly costUsd: number | null;
  readonly recommendation: {
    readonly model: string;
    readonly summary: string;
    readonly costUsd: number;
    readonly edits: number;
  } | null;
  /** Running the file with the recommendation applied: per job. */
  readonly run?: {
    readonly answered: number;
    readonly truncated: number;
    readonly rejected: number;
    readonly refused: number;
    readonly failed: number;
    readonly costUsd: number | null;
    readonly sample: string;
  };
}

export interface TrialOptions {
  /**
   * Apply only a model per file (as Apply did before recommendations carried edits), e.g. the recommendations an
   * older build printed in `promptmeter estimate examples --json`.
   */
  readonly modelOnly?: Readonly<Record<string, string>>;
  /** Another build's `bin/promptmeter.js` to run the applied files with (default: this one). */
  readonly cli?: string;
}

interface RunResult {
  output?: string;
  error?: { status?: number; message: string };
  finishReason?: string;
  outcome?: string;
  truncated?: boolean;
}

/**
 * Copies `examples/` to a scratch folder, applies every recommendation Prompt Meter offers there (with its edits),
 * and runs each changed file with the CLI against `baseUrl` (`--no-cache`): the proof that recommendations run.
 */
export async function recommendationTrial(
  baseUrl: string,
  apiKey: string,
  options: TrialOptions = {},
): Promise<TrialRow[]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'pm-recommend-'));
  cpSync(path.join(repositoryRoot(), 'examples'), folder, { recursive: true });
  const tokenizers = new Tokenizers(tokenizerAssets());
  const estimator = new Estimator(tokenizers, {
    defaultModel: 'gpt-4o-mini',
    pricingOverrides: {},
    maxFileBytes: 2 * 1024 * 1024,
  });
  const rows: TrialRow[] = [];
  try {
    for (const name of readdirSync(path.join(folder, 'prompts')).sort()) {
      const relative = path.posix.join('prompts', name);
      const format = promptFormatFor(
        relative,
        ['prompts'],
        readFileSync(path.join(folder, relative), 'utf8').slice(0, 2000),
      );
      if (!format) continue;
      const text = readFileSync(path.join(folder, relative), 'utf8');
      const estimate = await estimator.estimate(estimator.parse(relative, text, format), text);
      const first = estimate.estimates.find((candidate) => candidate.recommendation) ?? estimate.estimates[0];
      if (!first) continue;
      const modelOnly = options.modelOnly?.[relative];
      const edits = options.modelOnly
        ? modelOnly
          ? setModelEdits(estimate.parsed, text, modelOnly)
          : []
        : recommendationEdits(estimate, text);
      const row: TrialRow = {
        file: relative,
        model: first.model,
        costUsd: estimate.totals.unpricedPrompts === estimate.totals.prompts ? null : estimate.totals.total,
        recommendation: modelOnly
          ? { model: modelOnly, summary: `${modelOnly} (model only)`, costUsd: Number.NaN, edits: 1 }
          : first.recommendation && !options.modelOnly
            ? {
                model: first.recommendation.model,
                summary: first.recommendation.summary,
                costUsd: first.recommendation.cost.total,
                edits: first.recommendation.changes.length,
              }
            : null,
      };
      if (edits.length === 0) {
        rows.push(row);
        continue;
      }
      writeFileSync(path.join(folder, relative), applyEdits(text, edits));
      const args = ['run', relative, '--base-url', baseUrl, '--no-cache', '--json', '--allow-over-budget'];
      const result = await runCli(args, folder, { OPENAI_API_KEY: apiKey }, options.cli);
      rows.push({ ...row, run: summarizeRun(result.stdout, result.stderr) });
    }
  } finally {
    tokenizers.dispose();
  }
  return rows;
}

function summarizeRun(stdout: string, stderr: string): NonNullable<TrialRow['run']> {
  let report: { results?: RunResult[]; cost?: number | null; refused?: unknown[] };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    // Nothing was sent: every prompt was refused before spending (the CLI exits 2 and prints why).
    return {
      answered: 0,
      truncated: 0,
      rejected: 0,
      refused: 1,
      failed: 0,
      costUsd: null,
      sample: stderr.trim().split('\n')[0] ?? '',
    };
  }
  const results = report.results ?? [];
  const truncated = results.filter(
    (result) =>
      !result.error &&
      (result.outcome === 'truncated' ||
        ['length', 'content_filter'].includes(result.finishReason ?? '') ||
        (result.output ?? '').trim() === ''),
  );
  const rejected = results.filter((result) => result.error?.status === 400 || result.error?.status === 404).length;
  const refused = report.refused?.length ?? 0;
  const failed = results.filter(
    (result) => result.error && result.error.status !== 400 && result.error.status !== 404,
  ).length;
  return {
    answered: results.length - truncated.length - rejected - failed,
    truncated: truncated.length,
    rejected,
    refused,
    failed,
    costUsd: report.cost ?? null,
    sample: (results[0]?.output ?? results[0]?.error?.message ?? '').slice(0, 60),
  };
}
