import { createHash } from 'node:crypto';
import type { CreateEmbeddingResponse, Embedding, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { CacheTierName } from '../cache/cacheTier';
import { Inflight } from '../cache/inflight';
import { requestKey } from '../cache/requestKey';
import type { LedgerCacheTier } from '../ledger/ledgerEntry';
import { parseCachedEmbedding } from './cachedAnswer';
import type { CachedEmbedding } from './cachedAnswer';
import type { CallOptions } from './callOptions';
import type { CallResult } from './callResult';
import { callSignal } from './clientContext';
import type { ClientContext } from './clientContext';
import { PromptMeterError } from './errors';
import { fetchMissingEmbeddings } from './embeddingFetch';
import type { FetchedEmbeddings } from './embeddingFetch';
import { emptyUsage } from './usage';

/** An embeddings result: the usual fields plus how many inputs came from the cache. */
export interface EmbedResult extends CallResult<CreateEmbeddingResponse> {
  /** Inputs served from a cache tier or a shared in-flight call (the rest were sent). */
  cachedInputs: number;
}

type EmbeddingInput = string | number[];

/** A single token array (`number[]`) is one input; `string[]` and `number[][]` are many. */
function inputsOf(input: EmbeddingCreateParams['input']): EmbeddingInput[] {
  if (typeof input === 'string') return [input];
  if (input.length > 0 && input.every((item) => typeof item === 'number')) return [input as number[]];
  return input as EmbeddingInput[];
}

const tierOrder: readonly CacheTierName[] = ['memory', 'disk', 'redis'];

/**
 * The embeddings path: each input is cached on its own, so a batch of 100 with 90 cached sends the 10 missing
 * inputs in one request and reassembles all 100 in order. Duplicate inputs in a batch are sent once.
 */
export class EmbeddingCall {
  private readonly inflight = new Inflight<FetchedEmbeddings>();

  constructor(private readonly context: ClientContext) {}

  async run(request: EmbeddingCreateParams, options: CallOptions): Promise<EmbedResult> {
    const { context } = this;
    const started = context.clock.now();
    const inputs = inputsOf(request.input);
    if (inputs.length === 0)
      throw new PromptMeterError({ reason: 'badRequest', message: 'The embeddings input is empty.' });
    const base = { ...request, encoding_format: request.encoding_format ?? 'float' };
    const batchKey = requestKey('embeddings', base, context.namespace);
    const keys = inputs.map((input) => requestKey('embeddings', { ...base, input }, context.namespace));
    const signal = callSignal(context, options.signal);

    const found = new Map<string, { entry: CachedEmbedding; tier: LedgerCacheTier }>();
    if (!options.fresh && context.cache) {
      const cache = context.cache;
      const unique = [...new Set(keys)];
      const hits = await Promise.all(unique.map((key) => cache.get(key, parseCachedEmbedding)));
      unique.forEach((key, index) => {
        const hit = hits[index];
        if (hit) found.set(key, { entry: hit.value, tier: hit.tier });
      });
    }
    const missing = new Map<string, EmbeddingInput>();
    keys.forEach((key, index) => {
      const input = inputs[index];
      if (!found.has(key) && !missing.has(key) && input !== undefined) missing.set(key, input);
    });

    let fetched: FetchedEmbeddings | undefined;
    let joined = false;
    if (missing.size > 0) {
      const missingKeys = [...missing.keys()];
      const inflightKey =
        (options.fresh ? 'fresh:' : '') + createHash('sha256').update(missingKeys.join(',')).digest('hex');
      try {
        ({ value: fetched, joined } = await this.inflight.run(
          inflightKey,
          (shared) => fetchMissingEmbeddings(context, base, missing, batchKey, options, shared, started),
          signal,
        ));
      } catch (error) {
        if (signal.aborted && signal.reason instanceof PromptMeterError) throw signal.reason;
        if (signal.aborted) throw new PromptMeterError({ reason: 'cancelled', message: 'The call was cancelled.' });
        throw error;
      }
      if (joined) for (const [key, entry] of fetched.entries) found.set(key, { entry, tier: 'inflight' });
    }

    const data: Embedding[] = keys.map((key, index) => {
      const entry = found.get(key)?.entry ?? fetched?.entries.get(key);
      if (!entry)
        throw new PromptMeterError({
          reason: 'malformedResponse',
          message: 'An embedding is missing from the answer.',
        });
      return { object: 'embedding', index, embedding: entry.embedding as number[] };
    });
    const cachedInputs = keys.filter((key) => found.has(key)).length;
    context.counters.cacheHits += cachedInputs;
    const avoidedCostUsd = await this.recordHits(request.model, keys, found, batchKey, options, started);

    const fromNetwork = fetched !== undefined && !joined;
    const usage = fromNetwork ? fetched!.usage : emptyUsage();
    const tiers = [...found.values()].map((value) => value.tier);
    const cache: LedgerCacheTier = fromNetwork
      ? fetched!.source
      : tiers.includes('inflight')
        ? 'inflight'
        : ([...tierOrder].reverse().find((tier) => tiers.includes(tier)) ?? 'memory');
    return {
      response: {
        object: 'list',
        data,
        model: fromNetwork ? fetched!.model : request.model,
        usage: { prompt_tokens: usage.promptTokens, total_tokens: usage.promptTokens },
      },
      cache,
      cachedInputs,
      retries: fromNetwork ? fetched!.retries : 0,
      latencyMs: context.clock.now() - started,
      usage,
      costUsd: fromNetwork ? fetched!.costUsd : 0,
      ...(cachedInputs > 0 ? { avoidedCostUsd } : {}),
      requestKey: batchKey,
    };
  }

  /** One ledger entry per tier the hits came from; returns the total avoided cost (null if any price is unknown). */
  private async recordHits(
    model: string,
    keys: string[],
    found: Map<string, { entry: CachedEmbedding; tier: LedgerCacheTier }>,
    batchKey: string,
    options: CallOptions,
    started: number,
  ): Promise<number | null> {
    const byTier = new Map<LedgerCacheTier, { tokens: number; inputs: number }>();
    for (const key of keys) {
      const hit = found.get(key);
      if (!hit) continue;
      const group = byTier.get(hit.tier) ?? { tokens: 0, inputs: 0 };
      group.tokens += hit.entry.promptTokens;
      group.inputs += 1;
      byTier.set(hit.tier, group);
    }
    let avoided: number | null = 0;
    for (const [tier, group] of byTier) {
      const cost = await this.context.recorder.record({
        endpoint: 'embeddings',
        model,
        requestKey: batchKey,
        usage: { ...emptyUsage(), promptTokens: group.tokens },
        cache: tier,
        retries: 0,
        latencyMs: this.context.clock.now() - started,
        outcome: 'ok',
        reachedNetwork: false,
        options: { ...options, extra: { ...options.extra, embeddingInputs: group.inputs } },
      });
      avoided = avoided === null || cost.avoidedCostUsd == null ? null : avoided + cost.avoidedCostUsd;
    }
    return avoided;
  }
}
