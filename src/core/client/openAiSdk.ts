import OpenAI from 'openai';
import { splitBaseUrlCredentials } from './urlCredentials';

/** How to reach the API. The key is held by the SDK instance only, never copied elsewhere. */
export interface SdkConnection {
  readonly apiKey: string;
  /** OpenAI, Azure OpenAI's OpenAI-compatible `/openai/v1`, a proxy or a local server. */
  readonly baseUrl: string;
  /** Azure expects the key in an `api-key` header; everything else takes `Authorization: Bearer`. */
  readonly apiKeyHeader?: 'authorization' | 'api-key';
}

/**
 * The SDK instance every Prompt Meter call goes through: its own retries off (`maxRetries: 0`, our retry policy
 * owns retries), its logging off (it would print answer text), the key in the header the endpoint expects.
 * Credentials in the base URL (`https://user:pass@host/v1`) are taken out of it and sent as `Authorization: Basic`
 * (see {@link splitBaseUrlCredentials}); the SDK never sees them in a URL, so no SDK message can carry them.
 */
export function createOpenAiSdk(connection: SdkConnection): OpenAI {
  const { url, authorization } = splitBaseUrlCredentials(connection.baseUrl);
  const headers: Record<string, string> = {
    ...(connection.apiKeyHeader === 'api-key' ? { 'api-key': connection.apiKey } : {}),
    ...(authorization ? { Authorization: authorization } : {}),
  };
  return new OpenAI({
    apiKey: connection.apiKey,
    baseURL: url,
    maxRetries: 0,
    logLevel: 'off',
    ...(Object.keys(headers).length > 0 ? { defaultHeaders: headers } : {}),
  });
}
