import { randomInt } from 'node:crypto';
import type { Clock } from '../client/clock';
import { RetryPolicy } from '../client/retryPolicy';
import { BatchApiClient } from './batchApiClient';

/** Builds the Batch API client with the same retry policy as the normal client (crypto-backed jitter). */
export function createBatchApiClient(options: {
  apiKey: string;
  baseUrl: string;
  clock: Clock;
  timeoutMs?: number;
  apiKeyHeader?: 'authorization' | 'api-key';
}): BatchApiClient {
  return new BatchApiClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    clock: options.clock,
    policy: new RetryPolicy({ random: () => randomInt(0, 2 ** 47) / 2 ** 47 }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.apiKeyHeader === undefined ? {} : { apiKeyHeader: options.apiKeyHeader }),
  });
}
