/** A base URL split into what may be requested and shown, and the credentials it carried. */
export interface BaseUrlCredentials {
  /** The URL without `user:password@` (fetch refuses URLs with credentials; messages and logs show this one). */
  readonly url: string;
  /** `Basic <base64 user:password>`, when the URL carried credentials. */
  readonly authorization?: string;
}

/**
 * Splits `https://user:pass@host/v1` into `https://host/v1` and an `Authorization: Basic` value.
 *
 * Why Basic and not Bearer: credentials in a URL's userinfo mean HTTP Basic authentication (RFC 3986 §3.2.1,
 * RFC 7617), which is what curl, browsers and a reverse proxy such as nginx `auth_basic` in front of a local or
 * self-hosted model expect. An OpenAI-compatible server that wants a key gets it from the API key as
 * `Authorization: Bearer`; a URL with credentials replaces that header (one request carries one Authorization),
 * so the API key is then not sent (Azure's `api-key` header is unaffected). User and password are percent-decoded
 * as written in the URL. A URL that does not parse is returned as is (the SDK reports it).
 */
export function splitBaseUrlCredentials(baseUrl: string): BaseUrlCredentials {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    return { url: baseUrl };
  }
  if (!parsed.username && !parsed.password) return { url: baseUrl };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const url = /\/$/.test(baseUrl) ? parsed.toString() : parsed.toString().replace(/\/$/, '');
  return { url, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
