/** What really happened on the server since start or the last `reset()`. */
export interface ServerStats {
  /** HTTP requests to `/v1/*` (control endpoints excluded). */
  readonly requests: number;
  /** Requests per route, e.g. `"POST /v1/chat/completions"`, `"GET /v1/files/:id"`. */
  readonly byEndpoint: Readonly<Record<string, number>>;
  /** Responses per HTTP status, e.g. `{ "200": 5, "429": 2 }`; destroyed connections are not counted here. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** 429 `rate_limit_exceeded` responses (bucket rejections, request-too-large and scripted 429s). */
  readonly rateLimited: number;
  /** 429 `insufficient_quota` responses. */
  readonly insufficientQuota: number;
  /** Injected faults by kind (`error500`, `connectionReset`, `slow`, …), scripted or drawn. */
  readonly faultsInjected: Readonly<Record<string, number>>;
  /** Successful chat completions over HTTP (streamed or not). */
  readonly completionsServed: number;
  /** Successful chat answers (HTTP or batch line) whose canonical request had already been answered. */
  readonly duplicateCompletions: number;
  /** Canonical request key (see `canonicalRequestKey`) → successful chat answers, HTTP and batch lines together. */
  readonly answeredByKey: Readonly<Record<string, number>>;
  /** Successful embeddings requests. */
  readonly embeddingsServed: number;
  /** Inputs embedded by successful embeddings requests. */
  readonly inputsEmbedded: number;
  /** Prompt tokens billed by successful chat and embeddings answers over HTTP. */
  readonly promptTokens: number;
  /** Completion tokens billed by successful chat answers over HTTP. */
  readonly completionTokens: number;
  /** Cached prompt tokens reported by successful chat answers over HTTP. */
  readonly cachedTokens: number;
  /** Most `/v1` requests in flight at once. */
  readonly peakConcurrency: number;
  /** `/v1` requests in flight now. */
  readonly inFlight: number;
  /** Batches created. */
  readonly batchesCreated: number;
  /** Chat or embeddings answers produced by batch lines (successful lines). */
  readonly batchLinesAnswered: number;
}

type Counters = {
  -readonly [Key in keyof ServerStats]: ServerStats[Key] extends number ? number : Record<string, number>;
};

function emptyCounters(): Counters {
  return {
    requests: 0,
    byEndpoint: {},
    byStatus: {},
    rateLimited: 0,
    insufficientQuota: 0,
    faultsInjected: {},
    completionsServed: 0,
    duplicateCompletions: 0,
    answeredByKey: {},
    embeddingsServed: 0,
    inputsEmbedded: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    peakConcurrency: 0,
    inFlight: 0,
    batchesCreated: 0,
    batchLinesAnswered: 0,
  };
}

/** Collects `ServerStats`; one per server. */
export class StatsRecorder {
  private counters = emptyCounters();

  /** A `/v1` request arrived on `route`; returns the function to call when its response is closed. */
  requestStarted(route: string): () => void {
    const counters = this.counters;
    counters.requests += 1;
    increment(counters.byEndpoint, route);
    counters.inFlight += 1;
    counters.peakConcurrency = Math.max(counters.peakConcurrency, counters.inFlight);
    return () => {
      this.counters.inFlight -= 1;
    };
  }

  /** A `/v1` response was sent with `status`; `code` is the OpenAI error code, if any. */
  responded(status: number, code: string | null | undefined): void {
    increment(this.counters.byStatus, String(status));
    if (code === 'rate_limit_exceeded') this.counters.rateLimited += 1;
    if (code === 'insufficient_quota') this.counters.insufficientQuota += 1;
  }

  /** A fault of `kind` was injected. */
  faultInjected(kind: string): void {
    increment(this.counters.faultsInjected, kind);
  }

  /** A chat answer for `key` was delivered, over HTTP (`viaBatch` false) or as a batch line. */
  chatAnswered(key: string, viaBatch: boolean, usage: { prompt: number; completion: number; cached: number }): void {
    const counters = this.counters;
    const previous = counters.answeredByKey[key] ?? 0;
    counters.answeredByKey[key] = previous + 1;
    if (previous > 0) counters.duplicateCompletions += 1;
    if (viaBatch) {
      counters.batchLinesAnswered += 1;
      return;
    }
    counters.completionsServed += 1;
    counters.promptTokens += usage.prompt;
    counters.completionTokens += usage.completion;
    counters.cachedTokens += usage.cached;
  }

  /** An embeddings request of `inputs` inputs was answered. */
  embeddingsAnswered(inputs: number, promptTokens: number, viaBatch: boolean): void {
    if (viaBatch) {
      this.counters.batchLinesAnswered += 1;
      return;
    }
    this.counters.embeddingsServed += 1;
    this.counters.inputsEmbedded += inputs;
    this.counters.promptTokens += promptTokens;
  }

  /** A batch was created. */
  batchCreated(): void {
    this.counters.batchesCreated += 1;
  }

  /** A copy that later requests do not change. */
  snapshot(): ServerStats {
    return structuredClone(this.counters);
  }

  /** Zeroes everything; requests still in flight stay counted in `inFlight`. */
  reset(): void {
    const inFlight = this.counters.inFlight;
    this.counters = { ...emptyCounters(), inFlight };
  }
}

function increment(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}
