import OpenAI from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { elapsedSince, type PipelineRun, type QuestionOutcome } from './faqMeasure';
import { NAIVE_MODEL, naiveRequest, type FaqQuestion, type FaqScenario } from './faqScenario';

export interface NaiveOptions {
  readonly url: string;
  readonly apiKey: string;
  /** Requests in flight at once; undefined = every pending question at once (`Promise.all`). */
  readonly concurrency?: number;
  /** Rounds over the questions that failed: 1 = run once and keep the failures. */
  readonly maxRounds: number;
}

/**
 * The field guide's "before": every question sent as it is, to the large model, with the whole document of its
 * category, no `max_tokens`, no cache, no dedupe, through a fresh OpenAI SDK client with its default retries
 * (maxRetries 2, honouring `retry-after-ms`), all at once or through a fixed concurrency limit. Questions whose
 * three attempts all failed are sent again in another round (what an operator does by re-running the failed
 * rows), up to `maxRounds`; a question's latency runs from the first round's start to its answer.
 */
export async function runNaivePipeline(scenario: FaqScenario, options: NaiveOptions): Promise<PipelineRun> {
  const sdk = new OpenAI({ apiKey: options.apiKey, baseURL: options.url });
  const { default: pLimit } = await import('p-limit');
  const startedAt = Date.now();
  const outcomes = new Map<number, QuestionOutcome>();
  const failedPerRound: number[] = [];
  let pending: readonly FaqQuestion[] = scenario.questions;
  while (pending.length > 0 && failedPerRound.length < options.maxRounds) {
    const limit = pLimit(options.concurrency ?? pending.length);
    const round = await Promise.all(pending.map((question) => limit(() => ask(sdk, scenario, question, startedAt))));
    for (const outcome of round) outcomes.set(outcome.row, outcome);
    pending = pending.filter((question) => outcomes.get(question.row)?.source === 'failed');
    failedPerRound.push(pending.length);
  }
  const concurrency =
    options.concurrency === undefined ? 'all at once (Promise.all)' : `p-limit(${options.concurrency})`;
  const rounds =
    options.maxRounds > 1
      ? `, failed questions re-sent in further rounds (up to ${options.maxRounds})`
      : ', failures kept';
  return {
    name: options.concurrency === undefined ? 'naivePromiseAll' : 'naive',
    description: `${NAIVE_MODEL}, whole category document as context, no max_tokens, no cache, no dedupe, ${concurrency}, OpenAI SDK default retries (2)${rounds}`,
    wallMs: elapsedSince(startedAt),
    maxTokensPerCall: 0,
    outcomes: scenario.questions.map((question) => outcomes.get(question.row)!),
    details: { rounds: failedPerRound.length, failedAfterEachRound: failedPerRound },
  };
}

async function ask(
  sdk: OpenAI,
  scenario: FaqScenario,
  question: FaqQuestion,
  startedAt: number,
): Promise<QuestionOutcome> {
  try {
    const completion: ChatCompletion = await sdk.chat.completions.create(naiveRequest(scenario, question));
    const usage = completion.usage;
    return {
      row: question.row,
      answeredAfterMs: elapsedSince(startedAt),
      source: 'sent',
      model: NAIVE_MODEL,
      usage: {
        promptTokens: usage?.prompt_tokens ?? 0,
        cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
        completionTokens: usage?.completion_tokens ?? 0,
      },
    };
  } catch {
    return { row: question.row, answeredAfterMs: undefined, source: 'failed', model: NAIVE_MODEL };
  }
}
