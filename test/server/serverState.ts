import { executeBatchLine } from './batchExecution';
import { BatchStore } from './batchStore';
import { type ChatAnswer, composeAnswer } from './chatAnswer';
import { withLabelledAnswer } from './labelledAnswers';
import type { ChatRequest } from './chatRequest';
import type { EmbeddingsRequest } from './embeddings';
import { FaultInjector } from './faults';
import { FileStore } from './fileStore';
import { FAULT_OPTION_KEYS, mergeOptions, type TestServerOptions } from './options';
import { PromptCache } from './promptCache';
import { RateLimiter } from './rateLimiter';
import { systemServerClock, type ServerClock } from './serverClock';
import { StatsRecorder } from './stats';
import { PromptTokenizer } from './tokenizer';

/**
 * Everything one test server holds: options, tokenizer, limiter, faults, prompt cache, files, batches and stats.
 * Created by `startTestServer`, disposed when it closes.
 */
export class ServerState {
  readonly tokenizer = new PromptTokenizer();
  readonly stats = new StatsRecorder();
  readonly files = new FileStore();
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly promptCache: PromptCache;
  readonly batches: BatchStore;
  private current: TestServerOptions;
  private answered = 0;
  private readonly closingController = new AbortController();

  constructor(
    private readonly initial: TestServerOptions,
    readonly clock: ServerClock = systemServerClock,
  ) {
    this.current = initial;
    const options = (): TestServerOptions => this.current;
    this.limiter = new RateLimiter(options, () => clock.now());
    this.faults = new FaultInjector(options);
    this.promptCache = new PromptCache(() => this.current.promptCacheMinTokens);
    this.batches = new BatchStore({
      options,
      files: this.files,
      executeLine: (endpoint, body) => executeBatchLine(this, endpoint, body),
    });
  }

  /** The options in force now. */
  options(): TestServerOptions {
    return this.current;
  }

  /** Aborts when the server closes (pending latency, slow answers and streams stop). */
  get closing(): AbortSignal {
    return this.closingController.signal;
  }

  /** Successful chat and embeddings answers over HTTP since start or reset (for `quotaAfterRequests`). */
  get successfulAnswers(): number {
    return this.answered;
  }

  /** Changes options; a new `script` replaces the queue, a new `seed` restarts the random streams. */
  configure(partial: Partial<TestServerOptions>): void {
    this.current = mergeOptions(this.current, partial);
    if ('script' in partial) this.faults.loadScript(this.current.script);
    if ('seed' in partial) this.reseed(this.current.seed);
  }

  /**
   * Zeroes stats, refills the buckets, forgets cached prompts and the quota count, and restores the fault options
   * (`faults`, `script`, `insufficientQuota`, `quotaAfterRequests`, `seed`) to the values the server started with.
   * Other options, files and batches stay.
   */
  reset(): void {
    this.stats.reset();
    this.limiter.reset();
    this.promptCache.clear();
    this.answered = 0;
    const restored = Object.fromEntries(FAULT_OPTION_KEYS.map((key) => [key, this.initial[key]]));
    this.current = mergeOptions(this.current, restored);
    this.faults.loadScript(this.current.script);
    this.reseed(this.current.seed);
  }

  /** The answer to a validated chat request, with cached tokens from recent prompts of the same model. */
  answerChat(request: ChatRequest): ChatAnswer {
    const cached = this.promptCache.cachedTokens(request.model, request.promptSequence);
    return withLabelledAnswer(
      composeAnswer(request, this.current.answerTokens, cached, this.tokenizer, this.current.answerWithinCap),
      request,
      this.current.labelledAnswers,
      this.tokenizer,
    );
  }

  /** Records a delivered chat answer: prompt cache, stats, quota count. */
  recordChat(request: ChatRequest, answer: ChatAnswer, viaBatch: boolean): void {
    this.promptCache.remember(request.model, request.promptSequence);
    const usage = answer.usage;
    this.stats.chatAnswered(request.key, viaBatch, {
      prompt: usage.prompt_tokens,
      completion: usage.completion_tokens,
      cached: usage.prompt_tokens_details.cached_tokens,
    });
    if (!viaBatch) this.answered += 1;
  }

  /** Records a delivered embeddings answer. */
  recordEmbeddings(request: EmbeddingsRequest, viaBatch: boolean): void {
    this.stats.embeddingsAnswered(request.texts.length, request.promptTokens, viaBatch);
    if (!viaBatch) this.answered += 1;
  }

  /** First step of closing: aborts pending waits and streams, stops batch timers. */
  closeRequested(): void {
    this.closingController.abort();
    this.batches.dispose();
  }

  /** Last step of closing, once no request is left: frees the tokenizer. */
  dispose(): void {
    this.tokenizer.dispose();
  }

  private reseed(seed: number): void {
    this.faults.reseed(seed);
    this.batches.reseed(seed);
  }
}
