import { notFound } from './errors';
import type { Exchange } from './exchange';
import type { ServerState } from './serverState';

/** A fixed creation time so model objects are stable across runs. */
const MODEL_CREATED = 1_700_000_000;

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: MODEL_CREATED, owned_by: 'system' };
}

/** `GET /v1/models`. */
export function handleListModels(state: ServerState, exchange: Exchange): void {
  exchange.sendJson(200, { object: 'list', data: state.options().models.map(modelObject) });
}

/** `GET /v1/models/:id`. */
export function handleRetrieveModel(state: ServerState, exchange: Exchange): void {
  const id = exchange.params['id'] ?? '';
  if (!state.options().models.includes(id)) {
    const failure = notFound(`The model '${id}' does not exist`, 'model');
    exchange.sendFailure({ ...failure, error: { ...failure.error, code: 'model_not_found' } });
    return;
  }
  exchange.sendJson(200, modelObject(id));
}
