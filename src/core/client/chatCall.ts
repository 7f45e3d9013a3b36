import type { ChatCompletion, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { Inflight } from '../cache/inflight';
import { requestKey } from '../cache/requestKey';
import type { LedgerCacheTier, LedgerUsage } from '../ledger/ledgerEntry';
import { answerOutcome, type AnswerOutcome } from './answerOutcome';
import type { ChatApi } from './chatApi';
import { toResponsesRequest } from './responsesConversion';
import { parseCachedChat } from './cachedAnswer';
import type { CachedChat } from './cachedAnswer';
import type { CallOptions } from './callOptions';
import type { CallResult, ChatDelta } from './callResult';
import { callSignal } from './clientContext';
import type { ClientContext } from './clientContext';
import { PromptMeterError } from './errors';
import { runThrottledCall } from './throttledCall';
import type { CallProgress } from './throttledCall';
import { emptyUsage, usageFromApi } from './usage';

/** Options of one chat call. */
export interface ChatOptions extends CallOptions {
  /** Streamed text as it arrives (only when `request.stream` is true; hits replay the whole text once). */
  onDelta?: (delta: ChatDelta) => void;
  /**
   * `responses`: send the (Chat Completions shaped) request through `/v1/responses`, converted by
   * `toResponsesRequest`; the answer comes back as a `ChatCompletion`. The cache key and the ledger's `endpoint`
   * say which API answered. Default `chat`. See `chooseChatApi`.
   */
  api?: ChatApi;
}

/** What the shared operation (cache lookup, then HTTP) produced. */
interface ChatOutcome {
  completion: ChatCompletion;
  usage: LedgerUsage;
  source: LedgerCacheTier;
  retries: number;
  costUsd: number | null;
  streamedToOwner: boolean;
  verdict: AnswerOutcome;
}

/** The result and ledger fields of a truncated answer; nothing for a complete one. */
function truncationFields(verdict: AnswerOutcome): { truncated?: { finishReason: string; empty: boolean } } {
  return verdict.kind === 'truncated'
    ? { truncated: { finishReason: verdict.finishReason, empty: verdict.empty } }
    : {};
}

/** The tier the answer says served it (priced differently: see PriceOptions); absent when the answer does not say. */
function servedTier(completion: ChatCompletion): { serviceTier?: string } {
  return typeof completion.service_tier === 'string' ? { serviceTier: completion.service_tier } : {};
}

function ledgerOutcome(verdict: AnswerOutcome): { outcome: 'ok' | 'truncated'; finishReason?: string } {
  return verdict.kind === 'truncated'
    ? { outcome: 'truncated', finishReason: verdict.finishReason }
    : { outcome: 'ok' };
}

function replay(completion: ChatCompletion, onDelta: ((delta: ChatDelta) => void) | undefined): void {
  if (!onDelta) return;
  for (const choice of completion.choices) {
    const content = choice.message?.content;
    if (content) onDelta({ choiceIndex: choice.index, content, attempt: 0 });
  }
}

/**
 * The chat path: one shared operation per identical request in flight (cache lookup, then a throttled, retried
 * HTTP call), so ten identical concurrent calls make at most one HTTP call, and a call arriving just after an
 * answer was stored finds it in the cache (the operation stores before it settles).
 */
export class ChatCall {
  private readonly inflight: Inflight<ChatOutcome>;

  constructor(private readonly context: ClientContext) {
    this.inflight = new Inflight<ChatOutcome>(context.sharedInflight);
  }

  async run(request: ChatCompletionCreateParams, options: ChatOptions): Promise<CallResult<ChatCompletion>> {
    const { context } = this;
    const started = context.clock.now();
    const endpoint = options.api === 'responses' ? 'responses' : 'chat.completions';
    // Converted before anything is queued, so a parameter Responses cannot carry fails at once and costs nothing.
    const responsesBody =
      endpoint === 'responses' ? toResponsesRequest(request as unknown as Record<string, unknown>) : undefined;
    const key = requestKey(endpoint, request, context.namespace);
    const signal = callSignal(context, options.signal);
    let outcome: ChatOutcome;
    let joined: boolean;
    try {
      ({ value: outcome, joined } = await this.inflight.run(
        (options.fresh ? 'fresh:' : '') + key,
        (shared) => this.answer(request, responsesBody, key, options, shared, started),
        signal,
        { acrossProcesses: !options.fresh },
      ));
    } catch (error) {
      if (signal.aborted && signal.reason instanceof PromptMeterError) throw signal.reason;
      if (signal.aborted) throw new PromptMeterError({ reason: 'cancelled', message: 'The call was cancelled.' });
      throw error;
    }
    const fromNetwork = outcome.source === 'miss' || outcome.source === 'bypass';
    if (fromNetwork && !joined) {
      return {
        response: outcome.completion,
        cache: outcome.source,
        retries: outcome.retries,
        latencyMs: context.clock.now() - started,
        usage: outcome.usage,
        costUsd: outcome.costUsd,
        requestKey: key,
        ...truncationFields(outcome.verdict),
      };
    }
    const tier: LedgerCacheTier = fromNetwork ? 'inflight' : outcome.source;
    const completion = joined ? structuredClone(outcome.completion) : outcome.completion;
    context.counters.cacheHits += 1;
    if (joined || !outcome.streamedToOwner) replay(completion, options.onDelta);
    const latencyMs = context.clock.now() - started;
    const cost = await context.recorder.record({
      endpoint,
      model: request.model,
      requestKey: key,
      usage: outcome.usage,
      cache: tier,
      retries: 0,
      latencyMs,
      ...ledgerOutcome(outcome.verdict),
      reachedNetwork: false,
      usageKnown: completion.usage !== undefined,
      ...servedTier(completion),
      options,
    });
    return {
      response: completion,
      cache: tier,
      retries: 0,
      latencyMs,
      usage: outcome.usage,
      costUsd: 0,
      avoidedCostUsd: cost.avoidedCostUsd ?? null,
      requestKey: key,
      ...truncationFields(outcome.verdict),
    };
  }

  /** The shared operation: cache lookup (unless fresh), else one throttled HTTP call that is stored and recorded. */
  private async answer(
    request: ChatCompletionCreateParams,
    responsesBody: Record<string, unknown> | undefined,
    key: string,
    options: ChatOptions,
    signal: AbortSignal,
    started: number,
  ): Promise<ChatOutcome> {
    const { context } = this;
    if (!options.fresh && context.cache) {
      const hit = await context.cache.get(key, parseCachedChat);
      if (hit) {
        const { completion, usage } = hit.value;
        return {
          completion,
          usage,
          source: hit.tier,
          retries: 0,
          costUsd: 0,
          streamedToOwner: false,
          verdict: { kind: 'complete' },
        };
      }
    }
    const source: LedgerCacheTier = options.fresh ? 'bypass' : 'miss';
    const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? context.assumedCompletionTokens;
    const weight = context.estimatePromptTokens(request) + maxTokens * (request.n ?? 1);
    const progress: CallProgress = { retries: 0, attempts: 0 };
    let streamedToOwner = false;
    const facts = {
      endpoint: responsesBody ? ('responses' as const) : ('chat.completions' as const),
      model: request.model,
      requestKey: key,
      cache: source,
      options,
    };
    try {
      const completion = await runThrottledCall(
        {
          limiter: context.limiterFor(request.model),
          weight,
          policy: context.policy,
          clock: context.clock,
          signal,
          timeoutMs: options.timeoutMs ?? context.timeoutMs,
          apiKey: context.apiKey,
          baseUrl: context.baseUrl,
          counters: context.counters,
          onStopRun: (error) => context.stopRun(error),
          send: async (attemptSignal, attempt) => {
            const onDelta = options.onDelta;
            const forward =
              onDelta &&
              ((delta: { choiceIndex: number; content: string }) => {
                streamedToOwner = true;
                if (!signal.aborted) onDelta({ ...delta, attempt });
              });
            const timeoutMs = options.timeoutMs ?? context.timeoutMs;
            const answer = responsesBody
              ? await context.transport.responses(responsesBody, attemptSignal, timeoutMs, forward)
              : await context.transport.chat(request, attemptSignal, timeoutMs, forward);
            const usage = answer.value.usage;
            return { ...answer, ...(usage ? { usedTokens: usage.prompt_tokens + usage.completion_tokens } : {}) };
          },
        },
        progress,
      );
      const usage = usageFromApi(completion.usage);
      const verdict = answerOutcome(completion);
      // A cut-off or empty answer is paid for but never stored: the next call asks again (after the prompt is fixed).
      if (verdict.kind === 'complete') {
        const storedAt = new Date(context.clock.wallClockMs()).toISOString();
        const stored: CachedChat = { version: 1, endpoint: 'chat.completions', completion, usage, storedAt };
        await context.cache?.set(key, JSON.stringify(stored));
      }
      const latencyMs = context.clock.now() - started;
      const retries = progress.retries;
      const cost = await context.recorder.record({
        ...facts,
        usage,
        retries,
        latencyMs,
        ...ledgerOutcome(verdict),
        reachedNetwork: true,
        usageKnown: completion.usage !== undefined,
        ...servedTier(completion),
      });
      return { completion, usage, source, retries, costUsd: cost.costUsd, streamedToOwner, verdict };
    } catch (error) {
      const failure =
        error instanceof PromptMeterError ? error : new PromptMeterError({ reason: 'unknown', message: String(error) });
      const cancelled = failure.reason === 'cancelled';
      if (!cancelled) context.counters.failed += 1;
      await context.recorder.record({
        ...facts,
        usage: emptyUsage(),
        retries: progress.retries,
        latencyMs: context.clock.now() - started,
        outcome: cancelled ? 'cancelled' : 'error',
        ...(cancelled ? {} : { error: failure }),
        reachedNetwork: progress.attempts > 0,
      });
      throw failure;
    }
  }
}
