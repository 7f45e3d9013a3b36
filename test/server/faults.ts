import type { FaultProbabilities, ScriptedOutcome, TestServerOptions } from './options';
import { SeededRandom } from './random';

/** A fault injected after admission. */
export type Fault = keyof FaultProbabilities;

/** What happens to one chat or embeddings request. */
export type PlannedOutcome =
  | { readonly kind: 'ok' }
  /** A 429 `rate_limit_exceeded` before admission (scripted only). */
  | { readonly kind: 'rateLimited' }
  /** A 429 `insufficient_quota` before admission (scripted only). */
  | { readonly kind: 'quota' }
  | { readonly kind: 'fault'; readonly fault: Fault };

/** Fixed draw order, so one seed gives one sequence whatever order the options object lists. */
const FAULT_ORDER: readonly Fault[] = [
  'error500',
  'error503',
  'error408',
  'error409',
  'connectionReset',
  'slow',
  'malformedJson',
];

const SCRIPTED: Readonly<Record<ScriptedOutcome, PlannedOutcome>> = {
  ok: { kind: 'ok' },
  '429': { kind: 'rateLimited' },
  quota: { kind: 'quota' },
  '500': { kind: 'fault', fault: 'error500' },
  '503': { kind: 'fault', fault: 'error503' },
  '408': { kind: 'fault', fault: 'error408' },
  '409': { kind: 'fault', fault: 'error409' },
  reset: { kind: 'fault', fault: 'connectionReset' },
  slow: { kind: 'fault', fault: 'slow' },
  malformed: { kind: 'fault', fault: 'malformedJson' },
};

/**
 * Decides each request's fate: the next scripted outcome if any, else one seeded draw against the fault
 * probabilities. Latency jitter has its own seeded stream so adding jitter does not change which requests fail.
 */
export class FaultInjector {
  private readonly faultRandom: SeededRandom;
  private readonly jitterRandom: SeededRandom;
  private queue: ScriptedOutcome[] = [];

  constructor(private readonly options: () => TestServerOptions) {
    this.faultRandom = new SeededRandom(options().seed);
    this.jitterRandom = new SeededRandom(options().seed ^ 0x5bd1e995);
    this.queue = [...options().script];
  }

  /** Replaces the scripted queue. */
  loadScript(script: readonly ScriptedOutcome[]): void {
    this.queue = [...script];
  }

  /** Restarts both random streams from `seed`. */
  reseed(seed: number): void {
    this.faultRandom.reseed(seed);
    this.jitterRandom.reseed(seed ^ 0x5bd1e995);
  }

  /** Scripted outcomes not consumed yet. */
  pendingScript(): readonly ScriptedOutcome[] {
    return [...this.queue];
  }

  /** The fate of the next request; consumes one scripted entry or one random draw. */
  plan(): PlannedOutcome {
    const scripted = this.queue.shift();
    if (scripted !== undefined) return SCRIPTED[scripted];
    const faults = this.options().faults;
    if (!FAULT_ORDER.some((fault) => (faults[fault] ?? 0) > 0)) return { kind: 'ok' };
    const draw = this.faultRandom.next();
    let threshold = 0;
    for (const fault of FAULT_ORDER) {
      threshold += faults[fault] ?? 0;
      if (draw < threshold) return { kind: 'fault', fault };
    }
    return { kind: 'ok' };
  }

  /** Latency for one admitted request: base + seeded jitter, ms. */
  latencyMilliseconds(): number {
    const { latencyMs, latencyJitterMs } = this.options();
    return latencyMs + (latencyJitterMs > 0 ? this.jitterRandom.next() * latencyJitterMs : 0);
  }
}
