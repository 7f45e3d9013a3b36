/** The fastest any client (or set of clients) can finish a workload without a 429, and how it was computed. */
export interface ThroughputBound {
  formula: string;
  requestsMs: number;
  tokensMs: number;
  latencyMs: number;
  boundMs: number;
  totalTokens: number;
}

/**
 * For each bucket b with total weight W_b, refill r_b per ms (limit / 60 000) and burst B_b
 * (limit × burstSeconds / 60): T_b = max(0, W_b − B_b) / r_b; the bound is max_b T_b plus one mean latency
 * (the last answer's trip).
 */
export function throughputBound(workload: {
  requests: number;
  totalTokens: number;
  rpm: number;
  tpm: number;
  burstSeconds: number;
  meanLatencyMs: number;
}): ThroughputBound {
  const time = (weight: number, limit: number) =>
    Math.max(0, weight - (limit * workload.burstSeconds) / 60) / (limit / 60_000);
  const requestsMs = time(workload.requests, workload.rpm);
  const tokensMs = time(workload.totalTokens, workload.tpm);
  return {
    formula: 'max over buckets of max(0, W_b - burst_b) / refill_b, plus one mean latency',
    requestsMs: Math.round(requestsMs),
    tokensMs: Math.round(tokensMs),
    latencyMs: workload.meanLatencyMs,
    boundMs: Math.round(Math.max(requestsMs, tokensMs) + workload.meanLatencyMs),
    totalTokens: workload.totalTokens,
  };
}
