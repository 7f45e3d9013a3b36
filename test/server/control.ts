import type { Exchange } from './exchange';
import { parseJsonObject } from './jsonBody';
import { DEFAULT_OPTIONS, type TestServerOptions } from './options';
import type { ServerState } from './serverState';

/**
 * Out-of-process control, unauthenticated and not counted in stats: `POST /_control/config` (JSON partial
 * options; answers the options now in force), `GET /_control/stats`, `POST /_control/reset`.
 */
export function handleControl(state: ServerState, exchange: Exchange, path: string): void {
  const method = exchange.request.method ?? 'GET';
  if (method === 'GET' && path === '/_control/stats') return exchange.sendJson(200, state.stats.snapshot());
  if (method === 'POST' && path === '/_control/reset') {
    state.reset();
    return exchange.sendJson(200, { ok: true });
  }
  if (method === 'POST' && path === '/_control/config') {
    const partial = parseJsonObject(exchange.body);
    if (!partial)
      return exchange.sendJson(400, {
        error: {
          message: 'Expected a JSON object of options.',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    const unknown = Object.keys(partial).filter((key) => !(key in DEFAULT_OPTIONS));
    if (unknown.length > 0)
      return exchange.sendJson(400, {
        error: {
          message: `Unknown options: ${unknown.join(', ')}.`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    state.configure(partial as Partial<TestServerOptions>);
    return exchange.sendJson(200, state.options());
  }
  exchange.sendJson(404, {
    error: {
      message: `Unknown control endpoint ${method} ${path}.`,
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  });
}
