// Messages between the run view webview and the extension host, with the guards each side applies on arrival.

/** One job of a run as the run view shows it. */
export interface RunViewJob {
  readonly id: string;
  readonly model: string;
  /** `done`, `failed`, `truncated` (paid for, cut off or empty), or `pending` (no result yet). */
  readonly status: 'done' | 'failed' | 'truncated' | 'pending';
  /** USD spent; null when unknown (never shown as $0); 0 for a cache hit or a reused answer. */
  readonly costUsd: number | null;
  /** The answer text, or the error message of a failed job. */
  readonly output: string;
  /** memory | disk | … | miss, or empty while pending. */
  readonly cache: string;
}

/** A run folder (`.promptmeter/runs/<id>/`) as the run view shows it. */
export interface RunViewModel {
  readonly id: string;
  readonly source: string;
  readonly status: string;
  readonly createdAt: string;
  readonly stopReason: string | null;
  readonly jobs: readonly RunViewJob[];
  /** Sum of the known costs; `unknownCosts` jobs have no known cost. */
  readonly knownCostUsd: number;
  readonly unknownCosts: number;
}

export type RunViewHostMessage = { readonly type: 'snapshot'; readonly run: RunViewModel };
export type RunViewWebviewMessage = { readonly type: 'ready' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const statuses = new Set(['done', 'failed', 'truncated', 'pending']);

function isJob(value: unknown): value is RunViewJob {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.model === 'string' &&
    statuses.has(value.status as string) &&
    (value.costUsd === null || typeof value.costUsd === 'number') &&
    typeof value.output === 'string' &&
    typeof value.cache === 'string'
  );
}

/** The webview's check of what the host sends. */
export function isRunViewHostMessage(value: unknown): value is RunViewHostMessage {
  if (!isObject(value) || value.type !== 'snapshot' || !isObject(value.run)) return false;
  const run = value.run;
  return (
    typeof run.id === 'string' &&
    typeof run.source === 'string' &&
    typeof run.status === 'string' &&
    typeof run.createdAt === 'string' &&
    (run.stopReason === null || typeof run.stopReason === 'string') &&
    Array.isArray(run.jobs) &&
    run.jobs.every(isJob) &&
    typeof run.knownCostUsd === 'number' &&
    typeof run.unknownCosts === 'number'
  );
}

/** The host's check of what the webview sends. */
export function isRunViewWebviewMessage(value: unknown): value is RunViewWebviewMessage {
  return isObject(value) && value.type === 'ready';
}
