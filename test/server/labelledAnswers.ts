import { createHash } from 'node:crypto';
import type { ChatAnswer } from './chatAnswer';
import type { ChatRequest } from './chatRequest';
import type { PromptTokenizer } from './tokenizer';

/**
 * Opt-in answer quality that depends on the model: a labelled classification set. When the last user message
 * contains an item's `match`, the answer is a label: the right one for exactly round(accuracy × items) of the set's
 * items (which ones is drawn per model from a hash of model and item, so it is deterministic and differs between
 * models), a wrong one for the others. A sample of rows then sees the model's accuracy as a sample would.
 * Other requests get the usual answer.
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
export function withLabelledAnswer(
  answer: ChatAnswer,
  request: ChatRequest,
  labelled: LabelledAnswers | undefined,
  tokenizer: PromptTokenizer,
): ChatAnswer {
  const item = labelled?.items.find((candidate) => request.lastUserText.includes(candidate.match));
  if (!labelled || !item) return answer;
  const accuracy = labelled.accuracy[request.model] ?? labelled.defaultAccuracy ?? 1;
  const draw = (candidate: { match: string }) =>
    createHash('sha256').update(`${request.model}\n${candidate.match}`).digest();
  const ranked = [...labelled.items].sort((left, right) => draw(left).compare(draw(right)));
  const wrongItems = new Set(ranked.slice(0, Math.round((1 - accuracy) * ranked.length)));
  const wrong = labelled.labels.filter((label) => label !== item.label);
  const label =
    !wrongItems.has(item) || wrong.length === 0 ? item.label : wrong[draw(item).readUInt32BE(4) % wrong.length]!;
  const limit = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const full = tokenizer.encode(label);
  const choices = answer.choices.map((choice) => {
    const contentTokens = full.slice(0, Math.max(0, limit - choice.reasoningTokens));
    return {
      ...choice,
      contentTokens,
      content: tokenizer.decode(contentTokens),
      finishReason: contentTokens.length < full.length ? ('length' as const) : ('stop' as const),
    };
  });
  const completion = choices.reduce((sum, choice) => sum + choice.reasoningTokens + choice.contentTokens.length, 0);
  return {
    choices,
    usage: { ...answer.usage, completion_tokens: completion, total_tokens: answer.usage.prompt_tokens + completion },
  };
}
