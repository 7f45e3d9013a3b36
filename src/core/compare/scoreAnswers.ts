import type { TaskKind } from '../prompts/promptTypes';
import { agreementKind, exactAgreement, jsonAgreement, type AgreementKind } from './agreement';
import type { SampledRow } from './collectAnswers';
import type { RowAnswer, RowScore } from './compareTypes';
import {
  cosineSimilarity,
  fillReferences,
  judgeMessages,
  judgeVerdict,
  scoreStringEvaluator,
  similaritySpec,
  unsupportedEvaluators,
  type Evaluator,
} from './evaluators';

/** Paid helpers of the scoring (embeddings for similarity, the judge model); their cost is the comparison's judge cost. */
export interface ScoringServices {
  /** One vector per text, in order. */
  readonly embed: (
    texts: readonly string[],
  ) => Promise<{ vectors: readonly (readonly number[])[]; costUsd: number | null }>;
  readonly judge: (
    model: string,
    messages: ReturnType<typeof judgeMessages>,
  ) => Promise<{ text: string; costUsd: number | null }>;
}

export interface ScoringRequest {
  readonly task: TaskKind;
  readonly rows: readonly SampledRow[];
  /** The prompt's evaluators (`.prompt.yml`); none: agreement with `referenceModel`'s answers. */
  readonly evaluators?: readonly Evaluator[];
  readonly referenceModel: string;
  /** Cosine similarity at or above which free-text answers agree. */
  readonly similarityThreshold: number;
}

export interface Scoring {
  /** By {@link scoreKey}; `excluded` rows (the reference answer failed) count for no model but the reference. */
  readonly scores: ReadonlyMap<string, RowScore & { readonly excluded?: boolean }>;
  readonly judgeCostUsd: number | null;
  /** How answers were scored, shown with the table. */
  readonly scoring: string;
  readonly problems: readonly string[];
  /** The prompt's evaluators scored the answers (otherwise: agreement with the reference model). */
  readonly usedEvaluators: boolean;
}

/** The key of one model's answer to one row. */
export function scoreKey(model: string, row: number): string {
  return `${model}#${row}`;
}

/** A failed call, a truncated or an empty answer fails whatever it says. */
function failure(answer: RowAnswer): string | undefined {
  if (answer.error) return `error: ${answer.error}`;
  if (answer.truncated) return 'truncated (finish_reason length/content_filter)';
  if (answer.text.trim() === '') return 'empty answer';
  return undefined;
}

/**
 * Scores every answer: with the prompt's evaluators when it has supported ones (all must pass), otherwise by
 * agreement with the reference model's answer to the same row (exact after normalising for classify/extract, field
 * by field for JSON, embedding cosine similarity for free text).
 */
export async function scoreAnswers(
  answers: readonly RowAnswer[],
  request: ScoringRequest,
  services: ScoringServices,
): Promise<Scoring> {
  const scores = new Map<string, RowScore & { excluded?: boolean }>();
  const cost = { usd: 0 as number | null };
  const addCost = (usd: number | null) => (cost.usd = cost.usd === null || usd === null ? null : cost.usd + usd);
  const rows = new Map(request.rows.map((row) => [row.number, row.values]));
  const problems = unsupportedEvaluators(request.evaluators ?? []);
  const evaluators = (request.evaluators ?? []).filter(
    (evaluator) => evaluator.string || evaluator.llm || similaritySpec(evaluator),
  );
  const similarities = new SimilarityBatch();
  if (evaluators.length > 0) {
    const pending: Array<Promise<void>> = [];
    for (const answer of answers) {
      const failed = failure(answer);
      if (failed) {
        scores.set(scoreKey(answer.model, answer.row), { passed: false, detail: failed });
        continue;
      }
      const row = rows.get(answer.row) ?? {};
      pending.push(
        (async () => {
          const verdicts = await Promise.all(
            evaluators.map(async (evaluator) => {
              if (evaluator.string) return scoreStringEvaluator(evaluator.string, answer.text, row);
              if (evaluator.llm) {
                const judged = await services.judge(
                  evaluator.llm.modelId,
                  judgeMessages(evaluator.llm, answer.text, row),
                );
                addCost(judged.costUsd);
                return judgeVerdict(evaluator.llm, judged.text);
              }
              const spec = similaritySpec(evaluator)!;
              const similarity = await similarities.similarity(answer.text, fillReferences(spec.expected, row));
              return {
                passed: similarity >= spec.threshold,
                detail: `similarity ${similarity.toFixed(2)} ${similarity >= spec.threshold ? '≥' : '<'} ${spec.threshold}`,
              };
            }),
          );
          const missed = verdicts
            .map((verdict, index) => ({ verdict, name: evaluators[index]!.name }))
            .filter(({ verdict }) => !verdict.passed);
          scores.set(scoreKey(answer.model, answer.row), {
            passed: missed.length === 0,
            detail:
              missed.length === 0
                ? 'all evaluators pass'
                : missed.map(({ name, verdict }) => `${name}: ${verdict.detail}`).join('; '),
          });
        })(),
      );
    }
    similarities.flush(services, addCost);
    await Promise.all(pending);
    return {
      scores,
      usedEvaluators: true,
      judgeCostUsd: cost.usd,
      scoring: `the prompt's evaluators (${evaluators.map((evaluator) => evaluator.name).join(', ')})`,
      problems,
    };
  }
  const references = new Map(
    answers.filter((answer) => answer.model === request.referenceModel).map((answer) => [answer.row, answer]),
  );
  const kinds = new Set<AgreementKind>();
  const pending: Array<Promise<void>> = [];
  for (const answer of answers) {
    const key = scoreKey(answer.model, answer.row);
    const failed = failure(answer);
    if (failed) {
      scores.set(key, { passed: false, detail: failed });
      continue;
    }
    if (answer.model === request.referenceModel) {
      scores.set(key, { passed: true, detail: 'reference' });
      continue;
    }
    const reference = references.get(answer.row);
    const referenceFailed = reference ? failure(reference) : 'no reference answer';
    if (!reference || referenceFailed) {
      scores.set(key, {
        passed: false,
        detail: `not scored: the reference answer failed (${referenceFailed})`,
        excluded: true,
      });
      continue;
    }
    const kind = agreementKind(request.task, reference.text);
    kinds.add(kind);
    if (kind === 'exact') scores.set(key, exactAgreement(reference.text, answer.text));
    else if (kind === 'json') scores.set(key, jsonAgreement(reference.text, answer.text));
    else {
      pending.push(
        similarities.similarity(answer.text, reference.text).then((similarity) => {
          const passed = similarity >= request.similarityThreshold;
          scores.set(key, {
            passed,
            detail: `similarity ${similarity.toFixed(2)} ${passed ? '≥' : '<'} ${request.similarityThreshold}`,
          });
        }),
      );
    }
  }
  similarities.flush(services, addCost);
  await Promise.all(pending);
  const scoring = [...kinds]
    .map((kind) =>
      kind === 'exact'
        ? 'exact after normalising'
        : kind === 'json'
          ? 'JSON field by field'
          : `embedding cosine ≥ ${request.similarityThreshold}`,
    )
    .join(', ');
  return {
    scores,
    usedEvaluators: false,
    judgeCostUsd: cost.usd,
    scoring: `agreement with ${request.referenceModel} (${scoring || 'no answers to compare'})`,
    problems,
  };
}

/** Collects the texts to embed, then embeds them in one call (`flush`) and answers every similarity asked for. */
class SimilarityBatch {
  private readonly texts = new Map<string, number>();
  private readonly vectors: Promise<readonly (readonly number[])[]>;
  private resolve: (vectors: readonly (readonly number[])[]) => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;

  constructor() {
    this.vectors = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Registers both texts at once (synchronously, before `flush` runs) and waits for their vectors. */
  async similarity(left: string, right: string): Promise<number> {
    const leftIndex = this.indexOf(left);
    const rightIndex = this.indexOf(right);
    const vectors = await this.vectors;
    return cosineSimilarity(vectors[leftIndex] ?? [], vectors[rightIndex] ?? []);
  }

  flush(services: ScoringServices, addCost: (usd: number | null) => void): void {
    // Every text is registered synchronously before this runs: one embeddings call for the whole comparison.
    void Promise.resolve().then(async () => {
      if (this.texts.size === 0) return this.resolve([]);
      try {
        const result = await services.embed([...this.texts.keys()]);
        addCost(result.costUsd);
        this.resolve(result.vectors);
      } catch (error) {
        this.reject(error);
      }
    });
  }

  private indexOf(text: string): number {
    let index = this.texts.get(text);
    if (index === undefined) {
      index = this.texts.size;
      this.texts.set(text, index);
    }
    return index;
  }
}
