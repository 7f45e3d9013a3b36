import { createHash } from 'node:crypto';
import type { ChatRequest } from './chatRequest';
import type { ReasoningEffort } from './modelRules';
import type { PromptTokenizer } from './tokenizer';

/** One generated choice. */
export interface AnswerChoice {
  readonly index: number;
  readonly contentTokens: readonly number[];
  readonly content: string;
  readonly finishReason: 'stop' | 'length';
  readonly reasoningTokens: number;
}

/** OpenAI's chat `usage` object. */
export interface ChatUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number; readonly audio_tokens: number };
  readonly completion_tokens_details: {
    readonly reasoning_tokens: number;
    readonly audio_tokens: number;
    readonly accepted_prediction_tokens: number;
    readonly rejected_prediction_tokens: number;
  };
}

/** A whole answer: choices plus usage. */
export interface ChatAnswer {
  readonly choices: readonly AnswerChoice[];
  readonly usage: ChatUsage;
}

const WORDS = [
  'the',
  'meter',
  'counts',
  'tokens',
  'before',
  'each',
  'request',
  'so',
  'costs',
  'stay',
  'low',
  'and',
  'clear',
  'prompts',
  'cache',
  'well',
  'when',
  'prefixes',
  'repeat',
  'models',
  'answer',
  'quickly',
  'with',
  'short',
  'plain',
  'words',
  'that',
  'fit',
  'budget',
  'limits',
  'reset',
  'every',
  'minute',
  'while',
  'batches',
  'run',
  'later',
  'at',
  'half',
  'price',
  'retries',
  'wait',
  'politely',
  'for',
  'room',
  'in',
  'the',
  'bucket',
];

/**
 * Hidden reasoning tokens per unit of the seed (1–4 units per choice), by effort: more effort, more thinking, as
 * OpenAI's reasoning guide describes; `none` thinks not at all. The amounts are this server's own, chosen so
 * that a 10-token cap at the default effort is used up by reasoning (the reported gpt-5-nano failure) while a few
 * hundred tokens leave room for an answer at `minimal`/`low`.
 */
const REASONING_TOKENS_PER_UNIT: Readonly<Record<ReasoningEffort, number>> = {
  none: 0,
  minimal: 8,
  low: 32,
  medium: 64,
  high: 128,
  xhigh: 256,
  max: 512,
};

/** Reasoning tokens one choice would spend without a cap (0 for non-reasoning models). */
export function naturalReasoningTokens(effort: ReasoningEffort | undefined, seed: Buffer): number {
  return effort === undefined ? 0 : REASONING_TOKENS_PER_UNIT[effort] * (1 + ((seed[0] ?? 0) % 4));
}

/**
 * The deterministic answer to `request`: "Answer: <8-hex digest of the last user message>" and words chosen by the
 * canonical key, `naturalTokens` tokens per choice (at most half the cap with `withinCap`), truncated to the output
 * maximum (finish_reason "length").
 * Reasoning models first spend hidden reasoning tokens (see `naturalReasoningTokens`) out of the same maximum: when
 * they use it up, the content is empty and finish_reason is "length" (OpenAI reasoning guide).
 */
export function composeAnswer(
  request: ChatRequest,
  naturalTokens: number,
  cachedTokens: number,
  tokenizer: PromptTokenizer,
  withinCap = false,
): ChatAnswer {
  const limit = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  // See TestServerOptions.answerWithinCap: a capped request is answered in at most half its cap.
  const answerTokens =
    withinCap && Number.isFinite(limit) ? Math.max(1, Math.min(naturalTokens, Math.floor(limit / 2))) : naturalTokens;
  const choices: AnswerChoice[] = [];
  for (let index = 0; index < request.n; index += 1) {
    const seed = createHash('sha256').update(`${request.key}:${index}`).digest();
    const naturalReasoning = naturalReasoningTokens(request.effort, seed);
    const reasoningTokens = Math.min(naturalReasoning, limit);
    const visibleTokens = Math.max(0, Math.min(answerTokens, limit - reasoningTokens));
    const contentTokens = naturalAnswer(request.lastUserText, seed, answerTokens, tokenizer).slice(0, visibleTokens);
    choices.push({
      index,
      contentTokens,
      content: tokenizer.decode(contentTokens),
      finishReason: visibleTokens < answerTokens ? 'length' : 'stop',
      reasoningTokens,
    });
  }
  const reasoning = choices.reduce((sum, choice) => sum + choice.reasoningTokens, 0);
  const completion = choices.reduce((sum, choice) => sum + choice.reasoningTokens + choice.contentTokens.length, 0);
  const prompt = request.promptSequence.length;
  return {
    choices,
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: reasoning,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

/** The `chat.completion` object OpenAI returns. */
export function completionBody(
  answer: ChatAnswer,
  model: string,
  id: string,
  created: number,
  serviceTier = 'default',
): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: answer.choices.map((choice) => ({
      index: choice.index,
      message: { role: 'assistant', content: choice.content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage: answer.usage,
    service_tier: serviceTier,
    system_fingerprint: 'fp_promptmeter_test',
  };
}

function naturalAnswer(lastUserText: string, seed: Buffer, answerTokens: number, tokenizer: PromptTokenizer): number[] {
  const digest = createHash('sha256').update(lastUserText).digest('hex').slice(0, 8);
  const words = [`Answer: ${digest}`];
  for (let index = 0; index < answerTokens; index += 1) {
    const byte = seed[index % seed.length] ?? 0;
    words.push(WORDS[(byte + index * 7) % WORDS.length] ?? 'word');
  }
  return tokenizer.encode(`${words.join(' ')}.`).slice(0, answerTokens);
}
