import type { ComparisonCandidate, ComparisonResult, Disagreement, ModelComparison, RowAnswer } from './compareTypes';
import { percentile, wilsonInterval } from './passStatistics';
import { scoreKey, type Scoring } from './scoreAnswers';

export interface SummaryRequest {
  readonly candidates: readonly ComparisonCandidate[];
  readonly answers: readonly RowAnswer[];
  readonly scoring: Scoring;
  readonly reference: 'evaluators' | string;
  readonly threshold: number;
  readonly rows: number;
  /** The prompt's own calls over the last 30 days (ledger); undefined: no volume known. */
  readonly monthlyCalls?: number;
}

/** Sum of amounts that are all known; null as soon as one is not. */
function knownSum(amounts: readonly (number | null)[]): number | null {
  let sum = 0;
  for (const amount of amounts) {
    if (amount === null) return null;
    sum += amount;
  }
  return sum;
}

/**
 * The table: per model its pass rate with a 95 % Wilson interval, trial cost, cost per 1,000 rows (standard and
 * Batch), latency p50/p95, reasoning tokens, truncated answers, edits and projected monthly saving; the recommended
 * model is the cheapest per row whose pass rate is at least the threshold (models with unknown prices never are).
 */
export function summarizeComparison(request: SummaryRequest): {
  result: ComparisonResult;
  disagreements: Disagreement[];
} {
  const perRow = new Map<string, number | null>();
  const lines = request.candidates.map((candidate) => {
    const answers = request.answers.filter((answer) => answer.model === candidate.model);
    const scored = answers
      .map((answer) => request.scoring.scores.get(scoreKey(answer.model, answer.row)))
      .filter((score) => score && !score.excluded);
    const passed = scored.filter((score) => score!.passed).length;
    // Per row from the answered calls: a failed call costs nothing and says nothing about the price of a row.
    const answered = answers.filter((answer) => !answer.error);
    const standard = answered.length === 0 ? null : knownSum(answered.map((answer) => answer.standardUsd));
    const batch = answered.length === 0 ? null : knownSum(answered.map((answer) => answer.batchUsd));
    const latencies = answered.filter((answer) => !answer.cached).map((answer) => answer.latencyMs);
    perRow.set(candidate.model, standard === null ? null : standard / answered.length);
    return {
      model: candidate.model,
      passed,
      total: scored.length,
      passRate: scored.length === 0 ? 0 : passed / scored.length,
      interval: wilsonInterval(passed, scored.length),
      costUsd: knownSum(answers.map((answer) => answer.costUsd)),
      costPer1kRows: {
        standard: standard === null ? null : (standard / answered.length) * 1000,
        batch: batch === null ? null : (batch / answered.length) * 1000,
      },
      latencyP50Ms: latencies.length === 0 ? null : percentile(latencies, 50),
      latencyP95Ms: latencies.length === 0 ? null : percentile(latencies, 95),
      reasoningTokens: answers.reduce((sum, answer) => sum + answer.reasoningTokens, 0),
      truncated: answers.filter((answer) => answer.truncated).length,
      failed: answers.length - answered.length,
      edits: candidate.changes,
    };
  });
  const currentPerRow = perRow.get(request.candidates[0]?.model ?? '') ?? null;
  const models: ModelComparison[] = lines.map((line) => {
    const own = perRow.get(line.model) ?? null;
    const monthlySavingUsd =
      request.monthlyCalls === undefined || currentPerRow === null || own === null
        ? null
        : (currentPerRow - own) * request.monthlyCalls;
    return { ...line, monthlySavingUsd };
  });
  const passing = models
    .filter((model) => model.total > 0 && model.passRate >= request.threshold && model.costPer1kRows.standard !== null)
    .sort((left, right) => left.costPer1kRows.standard! - right.costPer1kRows.standard!);
  return {
    result: {
      rows: request.rows,
      reference: request.reference,
      threshold: request.threshold,
      models,
      recommended: passing[0]?.model ?? null,
      judgeCostUsd: request.scoring.judgeCostUsd,
    },
    disagreements: disagreements(request),
  };
}

/** Rows where at least one model fails while another passes, with every model's answer. */
function disagreements(request: SummaryRequest): Disagreement[] {
  const rows = [...new Set(request.answers.map((answer) => answer.row))].sort((left, right) => left - right);
  const found: Disagreement[] = [];
  for (const row of rows) {
    const answers: Record<string, { text: string; passed: boolean; detail: string }> = {};
    for (const answer of request.answers.filter((candidate) => candidate.row === row)) {
      const score = request.scoring.scores.get(scoreKey(answer.model, row));
      answers[answer.model] = {
        text: answer.error ? `(error) ${answer.error}` : answer.text,
        passed: score?.passed ?? false,
        detail: score?.detail ?? '',
      };
    }
    const verdicts = new Set(Object.values(answers).map((answer) => answer.passed));
    if (verdicts.size > 1) found.push({ row, answers });
  }
  return found;
}
