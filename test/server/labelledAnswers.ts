import { createHash } from 'node:crypto';
import type { ChatAnswer } from './chatAnswer';
import type { ChatRequest } from './chatRequest';
import type { PromptTokenizer } from './tokenizer';

/**
 * Opt-in answer quality that depends on the model: a labelled classification set. When the last user message
 * contains an item's `match`, the answer is a label — the right one with the model's probability in `accuracy`,
 * otherwise a wrong one — drawn deterministically per (model, input), so the same request always gets the same label
 * and cheaper models can be made wrong more often. Other requests get the usual answer.
 */
export interface LabelledAnswers {
  readonly items: readonly { readonly match: string; readonly label: string }[];
  /** Every label a wrong answer is chosen from. */
  readonly labels: readonly string[];
  /** Probability (0..1) of the right label per model. */
  readonly accuracy: Readonly<Record<string, number>>;
  /** For models not in `accuracy`. Default 1. */
  readonly defaultAccuracy?: number;
}

/** `answer` with its choices' text replaced by a label when `labelled` has an item for the request (usage recomputed). */
export function withLabelledAnswer(answer: ChatAnswer, request: ChatRequest, labelled: LabelledAnswers | undefined, tokenizer: PromptTokenizer): ChatAnswer {
  const item = labelled?.items.find((candidate) => request.lastUserText.includes(candidate.match));
  if (!labelled || !item) return answer;
  const digest = createHash('sha256').update(`${request.model}\n${request.lastUserText}`).digest();
  const draw = digest.readUInt32BE(0) / 2 ** 32;
  const accuracy = labelled.accuracy[request.model] ?? labelled.defaultAccuracy ?? 1;
  const wrong = labelled.labels.filter((label) => label !== item.label);
  const label = draw < accuracy || wrong.length === 0 ? item.label : wrong[digest.readUInt32BE(4) % wrong.length]!;
  const limit = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const full = tokenizer.encode(label);
  const choices = answer.choices.map((choice) => {
    const contentTokens = full.slice(0, Math.max(0, limit - choice.reasoningTokens));
    return { ...choice, contentTokens, content: tokenizer.decode(contentTokens), finishReason: contentTokens.length < full.length ? ('length' as const) : ('stop' as const) };
  });
  const completion = choices.reduce((sum, choice) => sum + choice.reasoningTokens + choice.contentTokens.length, 0);
  return { choices, usage: { ...answer.usage, completion_tokens: completion, total_tokens: answer.usage.prompt_tokens + completion } };
}
