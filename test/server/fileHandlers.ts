import { invalidParameter, missingParameter, notFound } from './errors';
import type { Exchange } from './exchange';
import { parseMultipart } from './multipart';
import type { ServerState } from './serverState';

const PURPOSES = new Set(['batch', 'assistants', 'fine-tune', 'vision', 'user_data', 'evals']);

/** `POST /v1/files` (multipart/form-data with `purpose` and `file`). */
export function handleUploadFile(state: ServerState, exchange: Exchange): void {
  const parts = parseMultipart(exchange.body, exchange.request.headers['content-type']);
  if (!parts) return exchange.sendFailure(invalidParameter('file', 'Expected a multipart/form-data body with a file.'));
  const purpose = parts.find((part) => part.name === 'purpose')?.data.toString('utf8');
  const file = parts.find((part) => part.name === 'file');
  if (purpose === undefined) return exchange.sendFailure(missingParameter('purpose'));
  if (!PURPOSES.has(purpose))
    return exchange.sendFailure(invalidParameter('purpose', `Invalid value for 'purpose': '${purpose}'.`));
  if (!file) return exchange.sendFailure(missingParameter('file'));
  exchange.sendJson(200, state.files.add(file.filename ?? 'upload', purpose, Buffer.from(file.data)));
}

/** `GET /v1/files`. */
export function handleListFiles(state: ServerState, exchange: Exchange): void {
  const data = state.files.list();
  exchange.sendJson(200, {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: false,
  });
}

/** `GET /v1/files/:id`. */
export function handleRetrieveFile(state: ServerState, exchange: Exchange): void {
  const file = state.files.get(exchange.params['id'] ?? '');
  if (!file) return exchange.sendFailure(missingFile(exchange));
  exchange.sendJson(200, file);
}

/** `GET /v1/files/:id/content`. */
export function handleFileContent(state: ServerState, exchange: Exchange): void {
  const content = state.files.content(exchange.params['id'] ?? '');
  if (!content) return exchange.sendFailure(missingFile(exchange));
  exchange.sendRaw(200, 'application/octet-stream', content);
}

/** `DELETE /v1/files/:id`. */
export function handleDeleteFile(state: ServerState, exchange: Exchange): void {
  const id = exchange.params['id'] ?? '';
  if (!state.files.delete(id)) return exchange.sendFailure(missingFile(exchange));
  exchange.sendJson(200, { id, object: 'file', deleted: true });
}

function missingFile(exchange: Exchange): ReturnType<typeof notFound> {
  return notFound(`No such File object: ${exchange.params['id'] ?? ''}`, 'id');
}
