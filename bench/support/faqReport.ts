import { costOfUsage } from '../../src/core/pricing/cost';
import type { Pricing } from '../../src/core/pricing/pricing';
import type { ServerStats } from '../../test/server';
import { round, type AnswerUsage, type PipelineRun, type QuestionOutcome } from './faqMeasure';
import type { FaqScenario } from './faqScenario';

/** The field guide's worked example: what its FAQ pipeline claims against its "before". */
export const FIELD_GUIDE = { duplicateCallsAvoidedPct: 64, latencyChangePct: -47, costChangePct: -31 } as const;

export const LATENCY_DEFINITION =
  'mean over answered questions of (time the answer was available − pipeline start); all questions are queued at the start, so this is the wait a customer in the queue sees, preparation (chunking, embeddings) included';
export const DUPLICATE_DEFINITION =
  'redundant chat completions: answers the server produced for a question whose intent (ground-truth label in questions.csv) this pass had already had answered by the server; avoided % = 1 − ours / naive';

export interface PipelineReport {
  name: string;
  description: string;
  questions: number;
  answered: number;
  failed: number;
  answersBySource: Record<string, number>;
  httpCalls: number;
  httpCallsByEndpoint: Record<string, number>;
  completionsServed: number;
  embeddingsRequestsServed: number;
  redundantCompletions: number;
  exactDuplicateCompletions: number;
  meanLatencyPerAnsweredQuestionMs: number | null;
  medianLatencyMs: number | null;
  p95LatencyMs: number | null;
  wallMs: number;
  rateLimited429: number;
  tokens: { chatInput: number; chatCachedInput: number; chatOutput: number; embeddingInput: number };
  /** What the server's TPM bucket was charged for the answered requests: prompt + max_tokens per call, plus embeddings input. */
  tokensChargedAgainstTpm: number;
  /** The fastest the TPM bucket allows that charge: (charged − 1 s of burst) / TPM. Rate-limited pipelines end near it. */
  tpmBoundMs: number;
  costUsd: { chat: number; embeddings: number; total: number };
  details?: Record<string, unknown>;
}

/** Joins a pipeline's own outcomes with the server's counts and prices every answer at the dated prices. */
export function reportPipeline(
  run: PipelineRun,
  stats: ServerStats,
  scenario: FaqScenario,
  pricing: Pricing,
  embeddingModel: string,
  tokensPerMinute: number,
): PipelineReport {
  const answered = run.outcomes.filter((outcome) => outcome.answeredAfterMs !== undefined);
  const latencies = answered.map((outcome) => outcome.answeredAfterMs!).sort((left, right) => left - right);
  const sent = run.outcomes.filter((outcome) => outcome.source === 'sent');
  const chatInput = sum(sent, (outcome) => outcome.usage!.promptTokens);
  const embeddingInput = Math.max(0, stats.promptTokens - chatInput);
  const chat = sum(sent, (outcome) => priceOf(pricing, outcome.model, outcome.usage!));
  const embeddings = priceOf(pricing, embeddingModel, {
    promptTokens: embeddingInput,
    cachedTokens: 0,
    completionTokens: 0,
  });
  const charged = chatInput + sent.length * run.maxTokensPerCall + embeddingInput;
  const bySource: Record<string, number> = {};
  for (const outcome of run.outcomes) bySource[outcome.source] = (bySource[outcome.source] ?? 0) + 1;
  return {
    name: run.name,
    description: run.description,
    questions: run.outcomes.length,
    answered: answered.length,
    failed: run.outcomes.length - answered.length,
    answersBySource: bySource,
    httpCalls: stats.requests,
    httpCallsByEndpoint: stats.byEndpoint,
    completionsServed: stats.completionsServed,
    embeddingsRequestsServed: stats.embeddingsServed,
    redundantCompletions: redundant(sent, scenario),
    exactDuplicateCompletions: stats.duplicateCompletions,
    meanLatencyPerAnsweredQuestionMs: latencies.length
      ? Math.round(sum(latencies, (value) => value) / latencies.length)
      : null,
    medianLatencyMs: quantile(latencies, 0.5),
    p95LatencyMs: quantile(latencies, 0.95),
    wallMs: run.wallMs,
    rateLimited429: stats.rateLimited,
    tokens: {
      chatInput,
      chatCachedInput: sum(sent, (outcome) => outcome.usage!.cachedTokens),
      chatOutput: sum(sent, (outcome) => outcome.usage!.completionTokens),
      embeddingInput,
    },
    tokensChargedAgainstTpm: charged,
    tpmBoundMs: Math.round((Math.max(0, charged - tokensPerMinute / 60) / tokensPerMinute) * 60_000),
    costUsd: { chat: round(chat, 6), embeddings: round(embeddings, 6), total: round(chat + embeddings, 6) },
    ...(run.details ? { details: run.details } : {}),
  };
}

/** Answers sent for an intent that an earlier answer of the same pass already covered. */
export function redundant(sent: readonly QuestionOutcome[], scenario: FaqScenario): number {
  const intents = new Set(sent.map((outcome) => scenario.questions[outcome.row - 1]!.intent));
  return sent.length - intents.size;
}

/** The three comparisons against the field guide's figures. Percentages are changes of ours relative to naive. */
export function headline(naive: PipelineReport, ours: PipelineReport) {
  const avoidedPct =
    naive.redundantCompletions > 0 ? (1 - ours.redundantCompletions / naive.redundantCompletions) * 100 : 0;
  const latencyChangePct = change(naive.meanLatencyPerAnsweredQuestionMs, ours.meanLatencyPerAnsweredQuestionMs);
  const costChangePct = change(naive.costUsd.total, ours.costUsd.total);
  return {
    duplicateCallsAvoided: {
      definition: DUPLICATE_DEFINITION,
      naiveRedundant: naive.redundantCompletions,
      oursRedundant: ours.redundantCompletions,
      valuePct: round(avoidedPct),
      fieldGuidePct: FIELD_GUIDE.duplicateCallsAvoidedPct,
      beats: avoidedPct > FIELD_GUIDE.duplicateCallsAvoidedPct,
    },
    meanLatencyPerAnsweredQuestion: {
      definition: LATENCY_DEFINITION,
      naiveMs: naive.meanLatencyPerAnsweredQuestionMs,
      oursMs: ours.meanLatencyPerAnsweredQuestionMs,
      changePct: latencyChangePct === null ? null : round(latencyChangePct),
      fieldGuidePct: FIELD_GUIDE.latencyChangePct,
      beats:
        latencyChangePct !== null && latencyChangePct < FIELD_GUIDE.latencyChangePct && ours.failed <= naive.failed,
    },
    cost: {
      naiveUsd: naive.costUsd.total,
      oursUsd: ours.costUsd.total,
      changePct: costChangePct === null ? null : round(costChangePct),
      fieldGuidePct: FIELD_GUIDE.costChangePct,
      beats: costChangePct !== null && costChangePct < FIELD_GUIDE.costChangePct && ours.failed <= naive.failed,
    },
  };
}

/**
 * Where the cost went, one technique at a time (each step keeps the previous ones): the naive bill; only the
 * questions whose text is new (identical dedupe); only the questions Prompt Meter sent (plus similar grouping);
 * our requests (best chunk instead of the whole document, max_tokens 256) still priced at the large model; the
 * small model as billed; plus the embeddings.
 */
export function costAttribution(
  naiveRun: PipelineRun,
  oursRun: PipelineRun,
  ours: PipelineReport,
  scenario: FaqScenario,
  pricing: Pricing,
  naiveModel: string,
) {
  const naiveCostOf = new Map<number, number>();
  for (const outcome of naiveRun.outcomes)
    if (outcome.usage) naiveCostOf.set(outcome.row, priceOf(pricing, naiveModel, outcome.usage));
  const meanNaive = naiveCostOf.size ? sum([...naiveCostOf.values()], (value) => value) / naiveCostOf.size : 0;
  const naiveCost = (row: number) => naiveCostOf.get(row) ?? meanNaive;
  const firstOfText = new Map<string, number>();
  for (const question of scenario.questions)
    if (!firstOfText.has(question.question)) firstOfText.set(question.question, question.row);
  const sent = oursRun.outcomes.filter((outcome) => outcome.source === 'sent');
  const steps: Array<[string, number]> = [
    [
      'naive: every question, whole category document, gpt-4o, no max_tokens',
      sum(scenario.questions, (question) => naiveCost(question.row)),
    ],
    ['+ identical questions sent once (same gpt-4o requests)', sum([...firstOfText.values()], naiveCost)],
    [
      '+ similar questions grouped (same gpt-4o requests, only the questions Prompt Meter sent)',
      sum(sent, (outcome) => naiveCost(outcome.row)),
    ],
    [
      '+ best chunk ≤ 500 words as context and max_tokens 256 (our requests priced at gpt-4o)',
      sum(sent, (outcome) => priceOf(pricing, naiveModel, outcome.usage!)),
    ],
    ['+ small model (our requests as billed, gpt-4o-mini)', ours.costUsd.chat],
    ['+ embeddings of chunks and questions (text-embedding-3-small)', ours.costUsd.total],
  ];
  return steps.map(([step, usd]) => ({ step, usd: round(usd, 6) }));
}

export function priceOf(pricing: Pricing, model: string, usage: AnswerUsage): number {
  const price = pricing.priceFor(model);
  if (!price) throw new Error(`no price for ${model}`);
  return costOfUsage(price, usage);
}

function change(before: number | null, after: number | null): number | null {
  return before === null || after === null || before === 0 ? null : ((after - before) / before) * 100;
}

function quantile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
