import type { MoneyAmount } from './money';
/** Status of a batch run as written in its `run.json`. */
export type RunStatus = 'planned' | 'running' | 'completed' | 'cancelled' | 'stopped' | 'failed';

const RUN_STATUSES: readonly RunStatus[] = ['planned', 'running', 'completed', 'cancelled', 'stopped', 'failed'];

/** Job counts of a run. */
export interface RunJobCounts {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly pending: number;
}

/**
 * What the report reads from `<workspace>/.promptmeter/runs/<run-id>/run.json` (version 1). Read tolerantly:
 * fields of the wrong type are left out rather than failing the whole report.
 */
export interface RunRecord {
  readonly id: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** `unknown` when run.json has no recognised status. */
  readonly status: RunStatus | 'unknown';
  /** Folder or file the run came from, workspace-relative. */
  readonly source?: string;
  readonly jobs?: RunJobCounts;
  readonly costUsd?: number | null;
  /** The run's spend with its unknown part (run.json `cost`; from `costUsd` in older files). */
  readonly cost?: MoneyAmount;
  readonly estimateUsd?: number | null;
  readonly batchApi?: { readonly batchId?: string; readonly status?: string };
}

/** Run ids are folder names: letters, digits, dot, dash, underscore (no path separators, no "..") . */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(value) && !value.includes('..');
}

/** Parses a run.json value; undefined when it is not an object with a usable id (`folderName` is the fallback id). */
export function parseRunRecord(value: unknown, folderName?: string): RunRecord | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const id = isRunId(record.id) ? record.id : folderName;
  if (!isRunId(id)) return undefined;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  const money = (key: string): number | null | undefined => {
    const number = record[key];
    if (number === null) return null;
    return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
  };
  const status = RUN_STATUSES.includes(record.status as RunStatus) ? (record.status as RunStatus) : 'unknown';
  return {
    id,
    createdAt: validTime(text('createdAt')),
    updatedAt: validTime(text('updatedAt')),
    status,
    source: text('source'),
    jobs: jobCounts(record.jobs),
    costUsd: money('costUsd'),
    cost:
      moneyAmount(record.cost) ??
      (typeof record.costUsd === 'number' && Number.isFinite(record.costUsd)
        ? { usd: record.costUsd, knownUsd: record.costUsd, unpriced: 0 }
        : undefined),
    estimateUsd: money('estimateUsd'),
    batchApi: batchApi(record.batchApi),
  };
}

function validTime(value: string | undefined): string | undefined {
  return value !== undefined && Number.isFinite(Date.parse(value)) ? value : undefined;
}

function jobCounts(value: unknown): RunJobCounts | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const count = (key: string): number =>
    typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : 0;
  return { total: count('total'), done: count('done'), failed: count('failed'), pending: count('pending') };
}

function batchApi(value: unknown): RunRecord['batchApi'] {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  return {
    batchId: typeof record.batchId === 'string' ? record.batchId : undefined,
    status: typeof record.status === 'string' ? record.status : undefined,
  };
}

function moneyAmount(value: unknown): MoneyAmount | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { usd, knownUsd, unpriced } = value as Record<string, unknown>;
  if (
    typeof knownUsd !== 'number' ||
    !Number.isFinite(knownUsd) ||
    typeof unpriced !== 'number' ||
    !Number.isInteger(unpriced) ||
    unpriced < 0
  )
    return undefined;
  return { usd: unpriced > 0 ? null : typeof usd === 'number' ? usd : knownUsd, knownUsd, unpriced };
}
