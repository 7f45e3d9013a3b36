const unitMilliseconds: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

const wholePattern = /^(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+$/;
const partPattern = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g;

/**
 * Parses the Go-style durations OpenAI puts in `x-ratelimit-reset-*` headers (`6m0s`, `1.5s`, `20ms`,
 * `1h2m3s`) into milliseconds.
 *
 * Why: the reset headers tell how long until a bucket is full again, and the limiter uses them after a 429
 * that carries no `retry-after`. A bare number is read as seconds (some proxies send `"1"`).
 *
 * @returns milliseconds (may be fractional), or `undefined` for anything that is not a duration, so a
 * garbled header is ignored instead of becoming a zero wait.
 */
export function parseRateLimitDuration(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
  if (!wholePattern.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(partPattern)) {
    const amount = Number(match[1]);
    const unit = unitMilliseconds[match[2] ?? ''];
    if (unit === undefined || !Number.isFinite(amount)) return undefined;
    total += amount * unit;
  }
  return total;
}
