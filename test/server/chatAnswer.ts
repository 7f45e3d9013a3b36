import { createHash } from 'node:crypto';
import type { ChatRequest } from './chatRequest';
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
  'the', 'meter', 'counts', 'tokens', 'before', 'each', 'request', 'so', 'costs', 'stay', 'low', 'and', 'clear',
  'prompts', 'cache', 'well', 'when', 'prefixes', 'repeat', 'models', 'answer', 'quickly', 'with', 'short', 'plain',
  'words', 'that', 'fit', 'budget', 'limits', 'reset', 'every', 'minute', 'while', 'batches', 'run', 'later', 'at',
  'half', 'price', 'retries', 'wait', 'politely', 'for', 'room', 'in', 'the', 'bucket',
];

/** Models that spend hidden reasoning tokens (o-series, gpt-5, gpt-6). */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || model.startsWith('gpt-5') || model.startsWith('gpt-6');
}

/**
 * The deterministic answer to `request`: "Answer: <8-hex digest of the last user message>" and words chosen by the
 * canonical key, `answerTokens` tokens per choice, truncated to the output maximum (finish_reason "length").
 * Reasoning models first spend 16–64 reasoning tokens per choice, which count against the same maximum.
 */
export function composeAnswer(request: ChatRequest, answerTokens: number, cachedTokens: number, tokenizer: PromptTokenizer): ChatAnswer {
  const limit = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  const choices: AnswerChoice[] = [];
  for (let index = 0; index < request.n; index += 1) {
    const seed = createHash('sha256').update(`${request.key}:${index}`).digest();
    const naturalReasoning = isReasoningModel(request.model) ? 16 * (1 + ((seed[0] ?? 0) % 4)) : 0;
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
      completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  };
}

/** The `chat.completion` object OpenAI returns. */
export function completionBody(answer: ChatAnswer, model: string, id: string, created: number): Record<string, unknown> {
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
    service_tier: 'default',
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
