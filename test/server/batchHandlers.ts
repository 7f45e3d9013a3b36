import { BATCH_ENDPOINTS } from './batchObject';
import { invalidJsonBody, invalidParameter, missingParameter, notFound } from './errors';
import type { Exchange } from './exchange';
import { parseJsonObject } from './jsonBody';
import type { ServerState } from './serverState';

/** `POST /v1/batches` {input_file_id, endpoint, completion_window "24h", metadata}. */
export function handleCreateBatch(state: ServerState, exchange: Exchange): void {
  const body = parseJsonObject(exchange.body);
  if (!body) return exchange.sendFailure(invalidJsonBody());
  const inputFileId = body['input_file_id'];
  if (typeof inputFileId !== 'string' || inputFileId === '')
    return exchange.sendFailure(missingParameter('input_file_id'));
  const file = state.files.get(inputFileId);
  if (!file) return exchange.sendFailure(notFound(`No such File object: ${inputFileId}`, 'input_file_id'));
  if (file.purpose !== 'batch')
    return exchange.sendFailure(invalidParameter('input_file_id', `File ${inputFileId} must have purpose 'batch'.`));
  const endpoint = body['endpoint'];
  if (typeof endpoint !== 'string' || !BATCH_ENDPOINTS.includes(endpoint)) {
    return exchange.sendFailure(
      invalidParameter('endpoint', `Invalid 'endpoint': expected one of ${BATCH_ENDPOINTS.join(', ')}.`),
    );
  }
  if (body['completion_window'] !== '24h')
    return exchange.sendFailure(invalidParameter('completion_window', "Invalid 'completion_window': expected '24h'."));
  const metadata = readMetadata(body['metadata']);
  if (metadata === false)
    return exchange.sendFailure(invalidParameter('metadata', "Invalid 'metadata': expected an object of strings."));
  state.stats.batchCreated();
  exchange.sendJson(200, state.batches.create(inputFileId, endpoint, metadata));
}

/** `GET /v1/batches/:id`. */
export function handleRetrieveBatch(state: ServerState, exchange: Exchange): void {
  const batch = state.batches.get(exchange.params['id'] ?? '');
  if (!batch) return exchange.sendFailure(missingBatch(exchange));
  exchange.sendJson(200, batch);
}

/** `POST /v1/batches/:id/cancel`: `validating`/`in_progress` → `cancelling` → `cancelled`; 400 otherwise. */
export function handleCancelBatch(state: ServerState, exchange: Exchange): void {
  const id = exchange.params['id'] ?? '';
  const cancelled = state.batches.cancel(id);
  if (cancelled === undefined) return exchange.sendFailure(missingBatch(exchange));
  const batch = state.batches.get(id);
  if (!cancelled)
    return exchange.sendFailure(
      invalidParameter('batch_id', `Cannot cancel a batch with status '${batch?.status ?? 'unknown'}'.`),
    );
  exchange.sendJson(200, batch);
}

/** `GET /v1/batches?limit=&after=`, newest first. */
export function handleListBatches(state: ServerState, exchange: Exchange): void {
  const all = state.batches.list();
  const after = exchange.url.searchParams.get('after');
  const limit = Math.min(100, Math.max(1, Number(exchange.url.searchParams.get('limit') ?? 20) || 20));
  const start = after === null ? 0 : all.findIndex((batch) => batch.id === after) + 1;
  const data = all.slice(start, start + limit);
  exchange.sendJson(200, {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < all.length,
  });
}

function readMetadata(value: unknown): Record<string, string> | null | false {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, item]) => typeof item === 'string')
    ? (Object.fromEntries(entries) as Record<string, string>)
    : false;
}

function missingBatch(exchange: Exchange): ReturnType<typeof notFound> {
  return notFound(`No batch found with id '${exchange.params['id'] ?? ''}'.`, 'batch_id');
}
