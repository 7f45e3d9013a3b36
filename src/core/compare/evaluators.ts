import type { DatasetRow } from '../runs/dataset';

/**
 * A GitHub Models `.prompt.yml` evaluator, as `gh models eval` reads it (github/gh-models pkg/prompt/prompt.go:
 * `Evaluator { name, string?, llm?, uses? }`; docs.github.com "Storing prompts in GitHub repositories"). Values may
 * reference test-data columns as `{{column}}` (e.g. `equals: "{{expected}}"`).
 */
export interface Evaluator {
  readonly name: string;
  /** Every condition given must hold; matched against the trimmed answer, case-sensitive as written. */
  readonly string?: StringEvaluator;
  readonly llm?: LlmEvaluator;
  /**
   * A built-in, e.g. `github/similarity`. Prompt Meter scores `github/similarity` as embedding similarity to
   * `{{expected}}` (not gh-models' LLM rubric), with the threshold shown; other built-ins are not supported.
   */
  readonly uses?: string;
  /** Prompt Meter's own: cosine similarity of the answer's and `expected`'s embeddings at or above `threshold`. */
  readonly similarity?: SimilarityEvaluator;
}

export interface StringEvaluator {
  readonly equals?: string;
  readonly contains?: string;
  readonly startsWith?: string;
  readonly endsWith?: string;
}

/** LLM-as-judge: `modelId` answers `prompt` (with `{{completion}}` and test-data columns) with one of `choices`. */
export interface LlmEvaluator {
  readonly modelId: string;
  readonly prompt: string;
  readonly choices: readonly { readonly choice: string; readonly score: number }[];
  readonly systemPrompt?: string;
}

export interface SimilarityEvaluator {
  /** Default `{{expected}}`. */
  readonly expected?: string;
  /** Default {@link DEFAULT_SIMILARITY_THRESHOLD}. */
  readonly threshold?: number;
}

/** Cosine similarity at or above which two texts count as the same answer (text-embedding-3 vectors). */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.85;

/** The built-in `uses:` values Prompt Meter scores. */
export const SUPPORTED_BUILT_INS: ReadonlySet<string> = new Set(['github/similarity']);

/** Replaces `{{name}}` (spaces allowed inside the braces) with the row's value; unknown names are left as written. */
export function fillReferences(
  template: string,
  row: DatasetRow,
  extra: Readonly<Record<string, string>> = {},
): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, name: string) => extra[name] ?? row[name] ?? whole);
}

/** Whether the answer meets every condition of a string evaluator, and the first one it misses. */
export function scoreStringEvaluator(
  spec: StringEvaluator,
  answer: string,
  row: DatasetRow,
): { passed: boolean; detail: string } {
  const text = answer.trim();
  const checks: Array<[keyof StringEvaluator, (value: string) => boolean]> = [
    ['equals', (value) => text === value],
    ['contains', (value) => text.includes(value)],
    ['startsWith', (value) => text.startsWith(value)],
    ['endsWith', (value) => text.endsWith(value)],
  ];
  for (const [name, check] of checks) {
    const written = spec[name];
    if (written === undefined) continue;
    const value = fillReferences(written, row);
    if (!check(value)) return { passed: false, detail: `${name} "${value}" not met` };
  }
  return { passed: true, detail: 'string conditions met' };
}

/** The messages that ask the judge: `{{completion}}` is the answer, other references are test-data columns. */
export function judgeMessages(
  spec: LlmEvaluator,
  answer: string,
  row: DatasetRow,
): Array<{ role: 'system' | 'user'; content: string }> {
  const choices = spec.choices.map((choice) => choice.choice).join(', ');
  const system = spec.systemPrompt ?? `Answer with exactly one of: ${choices}. No other text.`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: fillReferences(spec.prompt, row, { completion: answer }) },
  ];
}

/**
 * The judge's verdict: the choice its answer names (exactly, else the first choice it contains; case-insensitive).
 * Passes when the score is at least half the best choice's score (a 1–5 rubric passes at 3 and above). No choice
 * named: fails.
 */
export function judgeVerdict(
  spec: LlmEvaluator,
  judgeAnswer: string,
): { passed: boolean; detail: string; score?: number } {
  const said = judgeAnswer.trim().toLowerCase();
  const choice =
    spec.choices.find((candidate) => candidate.choice.trim().toLowerCase() === said) ??
    spec.choices.find((candidate) => said.includes(candidate.choice.trim().toLowerCase()));
  if (!choice)
    return { passed: false, detail: `judge answered "${judgeAnswer.trim().slice(0, 40)}", none of the choices` };
  const best = Math.max(...spec.choices.map((candidate) => candidate.score));
  const passed = choice.score >= best / 2;
  return { passed, detail: `judge: ${choice.choice} (score ${choice.score})`, score: choice.score };
}

/** Cosine similarity of two vectors (0 when either is all zeros or their lengths differ). */
export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length || left.length === 0) return 0;
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    const a = left[index]!;
    const b = right[index]!;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}

/** The similarity spec an evaluator asks for (its own, or `uses: github/similarity`), if any. */
export function similaritySpec(evaluator: Evaluator): Required<SimilarityEvaluator> | undefined {
  if (evaluator.similarity)
    return {
      expected: evaluator.similarity.expected ?? '{{expected}}',
      threshold: evaluator.similarity.threshold ?? DEFAULT_SIMILARITY_THRESHOLD,
    };
  if (evaluator.uses === 'github/similarity')
    return { expected: '{{expected}}', threshold: DEFAULT_SIMILARITY_THRESHOLD };
  return undefined;
}

/** Evaluators Prompt Meter cannot score, one sentence each (they are left out; the others still score). */
export function unsupportedEvaluators(evaluators: readonly Evaluator[]): string[] {
  return evaluators
    .filter(
      (evaluator) =>
        !evaluator.string &&
        !evaluator.llm &&
        !evaluator.similarity &&
        !(evaluator.uses && SUPPORTED_BUILT_INS.has(evaluator.uses)),
    )
    .map(
      (evaluator) =>
        `evaluator "${evaluator.name}"${evaluator.uses ? ` (uses: ${evaluator.uses})` : ''} is not supported by Prompt Meter and is left out; use string, llm, similarity or uses: github/similarity.`,
    );
}
