import { randomUUID } from 'node:crypto';
import type { CacheLogger } from '../cache/cacheLogger';
import type { LedgerWriter } from '../ledger/ledger';
import type { LedgerCacheTier, LedgerEntry, LedgerUsage } from '../ledger/ledgerEntry';
import type { CallOptions } from './callOptions';
import type { Clock } from './clock';
import type { PromptMeterError } from './errors';
import type { PriceUsage } from './priceUsage';

/** The facts of one finished call (or one group of cache hits) to write down. */
export interface CallFacts {
  endpoint: LedgerEntry['endpoint'];
  model: string;
  requestKey: string;
  usage: LedgerUsage;
  cache: LedgerCacheTier;
  retries: number;
  latencyMs: number;
  outcome: LedgerEntry['outcome'];
  /** For `truncated`: the API's finish_reason. */
  finishReason?: string;
  error?: PromptMeterError;
  /** At least one attempt reached the network (a cancelled call may then have cost money we cannot know). */
  reachedNetwork: boolean;
  /** False when the answer carried no `usage` (some proxies strip it): the cost is then unknown, not 0. */
  usageKnown?: boolean;
  /** The answer's `service_tier` (the tier that served it): flex is priced at Batch API rates, priority unknown. */
  serviceTier?: string;
  options: CallOptions;
}

/** What the entry said the call cost. */
export interface RecordedCost {
  costUsd: number | null;
  avoidedCostUsd?: number | null;
}

/**
 * Prices calls and appends them to the ledger. Cost rules: an HTTP answer costs its usage; a cache hit or a joined
 * in-flight call costs 0 and records what it avoided; an error costs 0 (the API does not bill failures); a
 * cancellation after the request went out costs `null` (unknown). Failed calls and calls that never reached the
 * network are not written (nothing was billed). Writing the ledger never fails a call: a write error is logged as a
 * warning.
 */
export class LedgerRecorder {
  constructor(
    private readonly ledger: LedgerWriter | undefined,
    private readonly priceUsage: PriceUsage,
    private readonly clock: Clock,
    private readonly logger: CacheLogger,
  ) {}

  async record(facts: CallFacts): Promise<RecordedCost> {
    const hit = facts.cache !== 'miss' && facts.cache !== 'bypass';
    // A truncated answer is paid for like any answer, but a shared one avoided nothing worth having.
    const answered = facts.outcome === 'ok' || facts.outcome === 'truncated';
    const priced =
      answered && facts.usageKnown !== false
        ? this.priceUsage(facts.model, facts.usage, {
            batchApi: false,
            ...(facts.serviceTier ? { serviceTier: facts.serviceTier } : {}),
          })
        : undefined;
    let cost: RecordedCost;
    if (facts.outcome === 'ok' && hit) cost = { costUsd: 0, avoidedCostUsd: priced?.costUsd ?? null };
    else if (hit && answered) cost = { costUsd: 0 };
    else if (answered) cost = { costUsd: priced?.costUsd ?? null };
    else if (facts.outcome === 'cancelled' && facts.reachedNetwork) cost = { costUsd: null };
    else cost = { costUsd: 0 };
    const { options } = facts;
    const entry: LedgerEntry = {
      version: 1,
      id: randomUUID(),
      time: new Date(this.clock.wallClockMs()).toISOString(),
      ...(options.source === undefined ? {} : { source: options.source }),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.jobId === undefined ? {} : { jobId: options.jobId }),
      endpoint: facts.endpoint,
      model: facts.model,
      requestKey: facts.requestKey,
      usage: facts.usage,
      costUsd: cost.costUsd,
      ...(cost.avoidedCostUsd === undefined ? {} : { avoidedCostUsd: cost.avoidedCostUsd }),
      ...(priced ? { priceSource: priced.priceSource } : {}),
      ...(facts.serviceTier === 'flex' || facts.serviceTier === 'priority' ? { serviceTier: facts.serviceTier } : {}),
      latencyMs: Math.round(facts.latencyMs),
      cache: facts.cache,
      retries: facts.retries,
      outcome: facts.outcome,
      ...(facts.finishReason === undefined ? {} : { finishReason: facts.finishReason }),
      ...(facts.error ? { error: errorSummary(facts.error) } : {}),
      ...(options.modelChangedFrom === undefined ? {} : { modelChangedFrom: options.modelChangedFrom }),
      ...(options.extra === undefined ? {} : { extra: options.extra }),
    };
    // The ledger is what was paid: a failed call is not billed by the API, and one that never reached the network
    // (a job the stopped run never sent) did not happen. A cancellation after sending may have cost money: kept.
    const unbilled = facts.outcome === 'error' || (facts.outcome === 'cancelled' && !facts.reachedNetwork);
    const ledger = options.ledger ?? this.ledger;
    if (ledger && !unbilled) {
      try {
        await ledger.append(entry);
      } catch (error) {
        this.logger.warn(`Could not write the cost ledger: ${(error as Error).message ?? String(error)}`);
      }
    }
    return cost;
  }
}

function errorSummary(error: PromptMeterError): NonNullable<LedgerEntry['error']> {
  return {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.code === undefined ? {} : { code: error.code }),
    message: error.message,
  };
}
