/** Token usage of one answer, as the API reported it. */
export interface AnswerUsage {
  readonly promptTokens: number;
  readonly cachedTokens: number;
  readonly completionTokens: number;
}

/** What one pipeline did for one question. */
export interface QuestionOutcome {
  readonly row: number;
  /** From the pipeline's start (every question queued at once) to the moment this answer was available, ms. */
  readonly answeredAfterMs: number | undefined;
  /** How the answer came: `sent` (an HTTP answer of its own), `dedupe`, `semantic`, a cache tier, or `failed`. */
  readonly source: string;
  /** Only for `sent`: what that call used. */
  readonly usage?: AnswerUsage;
  readonly model: string;
}

/** One pipeline's run, before pricing and server counts are joined in. */
export interface PipelineRun {
  readonly name: string;
  readonly description: string;
  readonly wallMs: number;
  /** `max_tokens` of each chat request (0 when absent): the server charges it against TPM at admission. */
  readonly maxTokensPerCall: number;
  readonly outcomes: readonly QuestionOutcome[];
  readonly details?: Record<string, unknown>;
}

/** Milliseconds since `startedAt` (both from `Date.now()`, as run results are stamped with wall-clock time). */
export function elapsedSince(startedAt: number, at: number = Date.now()): number {
  return at - startedAt;
}

export function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
