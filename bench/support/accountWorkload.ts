/**
 * The workload of bench/client and bench/shared: 200 distinct prompts, max_tokens 128, against one account of
 * RPM 600 and TPM 100 000 (1 s burst) with 190–210 ms latency, as measured in issue 12.
 */
export const PROMPTS = 200;
export const MAX_TOKENS = 128;
export const RPM = 600;
export const TPM = 100_000;
export const BURST_SECONDS = 1;
export const LATENCY_MS = 190;
export const LATENCY_JITTER_MS = 20;
export const MODEL = 'gpt-4o-mini';

/** The test server's options for that account (its limits and latency). */
export const ACCOUNT_SERVER = {
  rpm: RPM,
  tpm: TPM,
  burstSeconds: BURST_SECONDS,
  latencyMs: LATENCY_MS,
  latencyJitterMs: LATENCY_JITTER_MS,
} as const;

const topics = ['invoices', 'churn', 'latency', 'onboarding', 'pricing', 'support backlog', 'SSO', 'audit logs'];

/** The prompts, the same in every run. */
export const prompts: readonly string[] = Array.from({ length: PROMPTS }, (_, index) => {
  const topic = topics[index % topics.length] ?? 'notes';
  return `Request ${index}: write two sentences about ${topic} for the weekly report, mentioning item ${index * 7 + 3}.`;
});
