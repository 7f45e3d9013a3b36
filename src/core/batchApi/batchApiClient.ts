import OpenAI, { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import type { Clock } from '../client/clock';
import { PromptMeterError } from '../client/errors';
import { createOpenAiSdk, type SdkConnection } from '../client/openAiSdk';
import type { RetryPolicy } from '../client/retryPolicy';
import { runWithRetries } from '../client/retryRunner';
import { toPromptMeterError } from '../client/toPromptMeterError';
import type { BatchEndpoint } from './batchInput';

/** The SDK's batch object, re-exported so callers need not import the SDK. */
export type { Batch } from 'openai/resources/batches';

/** How the Batch API client reaches the API and retries. The key stays inside the SDK instance. */
export interface BatchApiClientOptions extends SdkConnection {
  /** The one owner of retries (the SDK's are off). */
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  /** Per request, ms. Default 120 000. */
  readonly timeoutMs?: number;
  /** Uploads and downloads of files up to 200 MB, ms. Default 600 000. */
  readonly fileTimeoutMs?: number;
}

/** HTTP calls made by one client; counts only grow. */
export interface BatchApiCounters {
  /** Every attempt, retries included. */
  requests: number;
  retries: number;
  /** 429 answers seen. */
  rateLimited: number;
}

/**
 * Files and Batches calls over the official SDK: a single HTTP exchange per attempt (`maxRetries: 0`), transient
 * failures retried by our {@link RetryPolicy}, every failure turned into a {@link PromptMeterError} with the key
 * redacted. Never logs.
 */
export class BatchApiClient {
  private readonly sdk: OpenAI;
  private readonly values: BatchApiCounters = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly timeoutMs: number;
  private readonly fileTimeoutMs: number;

  constructor(private readonly options: BatchApiClientOptions) {
    this.sdk = createOpenAiSdk(options);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fileTimeoutMs = options.fileTimeoutMs ?? 600_000;
  }

  /** A copy of the counters. */
  counters(): BatchApiCounters {
    return { ...this.values };
  }

  /** Uploads a batch input file (`purpose: batch`); returns its file id. */
  async uploadInput(filename: string, jsonl: string, signal?: AbortSignal): Promise<string> {
    const file = await this.call(signal, this.fileTimeoutMs, async (request) =>
      this.sdk.files.create(
        { file: await toFile(Buffer.from(jsonl, 'utf8'), filename, { type: 'application/jsonl' }), purpose: 'batch' },
        request,
      ),
    );
    return file.id;
  }

  /**
   * Creates a batch over an uploaded file with the 24 h window (the only one the API offers). A retried attempt
   * first looks for a batch over the same file, since a timed-out create may have gone through (the API has no
   * idempotency key for it, and a second batch is paid twice).
   */
  createBatch(
    inputFileId: string,
    endpoint: BatchEndpoint,
    metadata: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Batch> {
    return this.call(signal, this.timeoutMs, async (request, attemptNumber) => {
      if (attemptNumber > 1) {
        const existing = (await this.sdk.batches.list({ limit: 100 }, request)).data.find(
          (batch) => batch.input_file_id === inputFileId,
        );
        if (existing) return existing;
      }
      return this.sdk.batches.create(
        { input_file_id: inputFileId, endpoint, completion_window: '24h', metadata },
        request,
      );
    });
  }

  /**
   * The newest batch made from `inputFileId`, if any, among the most recent 100. Used before creating one, so a
   * create whose answer was lost (crash, timeout) is not repeated: a second batch would be paid twice.
   */
  async findBatchForInput(inputFileId: string, signal?: AbortSignal): Promise<Batch | undefined> {
    const page = await this.call(signal, this.timeoutMs, (request) => this.sdk.batches.list({ limit: 100 }, request));
    return page.data.find((batch) => batch.input_file_id === inputFileId);
  }

  /** The batch as the API sees it now: status, request counts, output and error file ids. */
  retrieveBatch(batchId: string, signal?: AbortSignal): Promise<Batch> {
    return this.call(signal, this.timeoutMs, (request) => this.sdk.batches.retrieve(batchId, request));
  }

  /** Asks the API to cancel; the batch goes to `cancelling`, then `cancelled` with partial results. */
  cancelBatch(batchId: string, signal?: AbortSignal): Promise<Batch> {
    return this.call(signal, this.timeoutMs, (request) => this.sdk.batches.cancel(batchId, request));
  }

  /** The text of an output or error file. */
  downloadFile(fileId: string, signal?: AbortSignal): Promise<string> {
    return this.call(signal, this.fileTimeoutMs, async (request) =>
      (await this.sdk.files.content(fileId, request)).text(),
    );
  }

  private call<T>(
    signal: AbortSignal | undefined,
    timeoutMs: number,
    send: (request: { signal?: AbortSignal; timeout: number; maxRetries: 0 }, attemptNumber: number) => Promise<T>,
  ): Promise<T> {
    const { apiKey, clock, policy } = this.options;
    return runWithRetries(
      async (attemptNumber) => {
        this.values.requests += 1;
        try {
          return await send({ ...(signal ? { signal } : {}), timeout: timeoutMs, maxRetries: 0 }, attemptNumber);
        } catch (error) {
          const failure = toPromptMeterError(error, {
            timedOut: false,
            cancelled: signal?.aborted === true,
            apiKey,
            wallClockMs: clock.wallClockMs(),
          });
          if (failure.status === 429) this.values.rateLimited += 1;
          throw failure;
        }
      },
      {
        policy,
        clock,
        ...(signal ? { signal } : {}),
        onRetry: () => {
          this.values.retries += 1;
        },
      },
    ).catch((error: unknown) => {
      throw error instanceof PromptMeterError
        ? error
        : toPromptMeterError(error, {
            timedOut: false,
            cancelled: signal?.aborted === true,
            apiKey,
            wallClockMs: clock.wallClockMs(),
          });
    });
  }
}
