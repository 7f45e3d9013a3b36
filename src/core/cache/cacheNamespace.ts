/**
 * The part of a base URL that tells which backend answers (scheme, host, port, path), without user info,
 * query or fragment, where credentials can hide (`https://user:key@proxy/v1?api-key=…`). Two clients
 * pointed at the same backend share cache entries; OpenAI and a local server never do.
 */
export function cacheNamespaceForBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return 'invalid-base-url';
  }
}
