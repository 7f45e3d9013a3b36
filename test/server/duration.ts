/**
 * Formats a wait the way OpenAI's `x-ratelimit-reset-*` headers do (Go's duration notation): `20ms`, `1.5s`,
 * `1m30.5s`, `6m0s`, `1h2m3s`. Rounded up to whole milliseconds so a client that waits this long finds room.
 */
export function formatResetDuration(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = formatSeconds((total % 60_000) / 1000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * Parses the notation `formatResetDuration` writes (and OpenAI sends) back to milliseconds; undefined when the
 * text is not a duration.
 */
export function parseResetDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text.trim());
  if (!match || text.trim() === '') return undefined;
  const [, hours, minutes, seconds, milliseconds] = match;
  return (
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds ?? 0) * 1000 +
    Number(milliseconds ?? 0)
  );
}

function formatSeconds(seconds: number): string {
  return seconds.toFixed(3).replace(/\.?0+$/, '') || '0';
}
