import { createHash } from 'node:crypto';
import { canonicalJson } from './canonicalJson';

/** The endpoints Prompt Meter calls (`responses`: a chat-shaped request sent through the Responses API). */
export type CacheEndpoint = 'chat.completions' | 'responses' | 'embeddings';

/**
 * Parameters that do not change the answer: transport (`stream`, `stream_options`), attribution (`user`,
 * `safety_identifier`, `metadata`), and server-side storage/routing (`store`, `prompt_cache_key`).
 * Everything else (temperature, seed, tools, response_format, n, max_tokens, …) is part of the key.
 */
const ignoredParameters: ReadonlySet<string> = new Set([
  'stream',
  'stream_options',
  'user',
  'safety_identifier',
  'metadata',
  'store',
  'prompt_cache_key',
]);

/**
 * The cache key of one request: SHA-256 (hex) of the sorted-key canonical JSON of the endpoint, a namespace
 * (which backend answered, see `cacheNamespaceForBaseUrl`) and every answer-changing parameter.
 *
 * Invariants: independent of key order; the same for streaming and non-streaming calls; never derived from
 * the API key (the request body does not hold it and the namespace has credentials stripped).
 */
export function requestKey(endpoint: CacheEndpoint, request: object, namespace: string): string {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    if (!ignoredParameters.has(name)) parameters[name] = value;
  }
  const canonical = canonicalJson({ version: 1, endpoint, namespace, parameters });
  return createHash('sha256').update(canonical).digest('hex');
}
