import { runFolderThroughBatchApi, type BatchApiRunInput } from '../batchApi/runFolderThroughBatchApi';
import type { LedgerWriter } from '../ledger/ledger';
import type { MapReduceRuntime } from './mapReduceJob';
import { executeRun, type RunClient } from './executeRun';
import type { RunJob } from './runJob';
import type { RunEngine, RunEngineKind } from './runSession';

/** What both engines need, gathered once per run from one settings snapshot. */
export interface RunEngineDeps {
  readonly client: RunClient;
  readonly ledger: LedgerWriter | undefined;
  /** Bypass the response cache (standard engine). */
  readonly fresh?: boolean;
  readonly modelChangedFrom?: (job: RunJob) => string | undefined;
  /** Built only when a run needs it (long documents). */
  readonly mapReduce: () => Promise<MapReduceRuntime>;
  /** The Batch API's connection; `undefined` when it cannot be had (no key): the engine then refuses with a message. */
  readonly batchApi: () => Promise<
    Omit<BatchApiRunInput, 'ledger' | 'followers' | 'onlyJobs' | 'signal' | 'onProgress'> | undefined
  >;
}

/** The two engines of a run over the same deps: the throttled client, and the Batch API. */
export function createRunEngines(deps: RunEngineDeps): Record<RunEngineKind, RunEngine> {
  return {
    standard: async (folder, request) => ({
      outcome: await executeRun(folder, deps.client, {
        ...(request.signal ? { signal: request.signal } : {}),
        fresh: deps.fresh === true,
        semanticFollowers: request.followers,
        ...(request.onlyJobs ? { onlyJobs: request.onlyJobs } : {}),
        ledger: deps.ledger,
        ...(deps.modelChangedFrom ? { modelChangedFrom: deps.modelChangedFrom } : {}),
        ...(folder.jobs().some((job) => job.mapReduce) ? { mapReduce: await deps.mapReduce() } : {}),
        onProgress: request.onProgress,
      }),
    }),
    batchApi: async (folder, request) => {
      const connection = await deps.batchApi();
      if (!connection) throw new Error('The Batch API needs an API key; set one and run again.');
      const { outcome, counters } = await runFolderThroughBatchApi(folder, {
        ...connection,
        ledger: deps.ledger,
        followers: request.followers,
        ...(request.onlyJobs ? { onlyJobs: request.onlyJobs } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        onProgress: request.onProgress,
      });
      return { outcome, batches: outcome.batches, counters };
    },
  };
}
