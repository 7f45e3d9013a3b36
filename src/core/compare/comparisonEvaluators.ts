import type { PromptEvaluator } from '../prompts/githubModelsPrompt';
import type { PromptDefinition } from '../prompts/promptTypes';
import type { Evaluator, LlmEvaluator, SimilarityEvaluator, StringEvaluator } from './evaluators';

const STRING_CONDITIONS = ['equals', 'contains', 'startsWith', 'endsWith'] as const;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/**
 * The prompt's GitHub Models `evaluators` (kept as written by the `.prompt.yml` parser) as the compare engine's
 * typed {@link Evaluator}s. A field of the wrong shape is left out, so an evaluator left with none of `string`,
 * `llm`, `similarity` or a `uses` is reported by `unsupportedEvaluators` rather than silently passing.
 */
export function comparisonEvaluators(prompt: PromptDefinition): Evaluator[] {
  return (prompt.evaluators ?? []).map(toEvaluator);
}

function toEvaluator(written: PromptEvaluator): Evaluator {
  const definition = written.definition;
  const string = stringEvaluator(definition.string);
  const llm = llmEvaluator(definition.llm);
  const similarity = similarityEvaluator(definition.similarity);
  const uses = typeof definition.uses === 'string' ? definition.uses : undefined;
  return {
    name: written.name,
    ...(string ? { string } : {}),
    ...(llm ? { llm } : {}),
    ...(similarity ? { similarity } : {}),
    ...(uses ? { uses } : {}),
  };
}

function stringEvaluator(value: unknown): StringEvaluator | undefined {
  if (!isRecord(value)) return undefined;
  const conditions: Partial<Record<(typeof STRING_CONDITIONS)[number], string>> = {};
  for (const name of STRING_CONDITIONS) {
    const condition = text(value[name]);
    if (condition !== undefined) conditions[name] = condition;
  }
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

/** gh-models `llm: { modelId, prompt, choices: [{ choice, score }], systemPrompt? }`. */
function llmEvaluator(value: unknown): LlmEvaluator | undefined {
  if (!isRecord(value)) return undefined;
  const modelId = text(value.modelId);
  const prompt = text(value.prompt);
  const choices = Array.isArray(value.choices)
    ? value.choices.flatMap((choice) => {
        if (!isRecord(choice)) return [];
        const name = text(choice.choice);
        const score = typeof choice.score === 'number' ? choice.score : Number(choice.score);
        return name !== undefined && Number.isFinite(score) ? [{ choice: name, score }] : [];
      })
    : [];
  if (!modelId || !prompt || choices.length === 0) return undefined;
  const systemPrompt = text(value.systemPrompt);
  // gh-models names models `openai/gpt-4o`; the OpenAI API takes the bare id.
  return { modelId: modelId.replace(/^openai\//, ''), prompt, choices, ...(systemPrompt ? { systemPrompt } : {}) };
}

function similarityEvaluator(value: unknown): SimilarityEvaluator | undefined {
  if (value === true) return {};
  if (!isRecord(value)) return undefined;
  const expected = text(value.expected);
  const threshold =
    typeof value.threshold === 'number' && value.threshold > 0 && value.threshold <= 1 ? value.threshold : undefined;
  return { ...(expected !== undefined ? { expected } : {}), ...(threshold !== undefined ? { threshold } : {}) };
}
