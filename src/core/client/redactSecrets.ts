/** Shapes of OpenAI-style secret keys (`sk-…`, `sk-proj-…`, `sess-…`) and bearer tokens. */
const secretPatterns: readonly RegExp[] = [
  /\b(?:sk|sess|rk)-[A-Za-z0-9_*-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
];

/**
 * Removes the API key, and anything shaped like one, from text that may reach an error, a ledger or a log.
 * The key itself is matched literally as well, since Azure and proxy keys have no `sk-` prefix.
 */
export function redactSecrets(text: string, apiKey?: string): string {
  let result = text;
  if (apiKey && apiKey.length >= 4) result = result.split(apiKey).join('[redacted]');
  for (const pattern of secretPatterns) result = result.replace(pattern, '[redacted]');
  return result;
}
