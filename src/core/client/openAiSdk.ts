import OpenAI from 'openai';

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
 */
export function createOpenAiSdk(connection: SdkConnection): OpenAI {
  return new OpenAI({
    apiKey: connection.apiKey,
    baseURL: connection.baseUrl,
    maxRetries: 0,
    logLevel: 'off',
    ...(connection.apiKeyHeader === 'api-key' ? { defaultHeaders: { 'api-key': connection.apiKey } } : {}),
  });
}
