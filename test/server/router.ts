import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { handleControl } from './control';
import { invalidApiKey, notFound } from './errors';
import { Exchange, type ExchangeHost } from './exchange';
import { matchRoute } from './routes';
import type { ServerState } from './serverState';

/**
 * The HTTP entry point: `/_control/*` for out-of-process control, `/v1/*` with bearer auth, stats and the
 * OpenAI routes; anything else is 404.
 */
export function createRequestListener(state: ServerState): RequestListener {
  const counted: ExchangeHost = {
    rateLimitHeaders: (model) => state.limiter.headers(model),
    recordStatus: (status, code) => state.stats.responded(status, code),
    get organization() {
      return state.options().organization;
    },
    closing: state.closing,
    sleep: (milliseconds, signal) => state.clock.sleep(milliseconds, signal),
  };
  const uncounted: ExchangeHost = {
    ...counted,
    rateLimitHeaders: () => ({}),
    recordStatus: undefined,
    organization: 'org-test',
  };
  return (request, response) => {
    void dispatch(state, request, response, { counted, uncounted });
  };
}

async function dispatch(
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse,
  hosts: { counted: ExchangeHost; uncounted: ExchangeHost },
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const isApi = path === '/v1' || path.startsWith('/v1/');
  const matched = isApi ? matchRoute(method, path) : undefined;
  if (isApi)
    response.on(
      'close',
      state.stats.requestStarted(matched ? `${method} ${matched.route.pattern}` : `${method} (unknown route)`),
    );
  const body = await readBody(request);
  if (!body) return;
  const exchange = new Exchange(
    request,
    response,
    url,
    body,
    matched?.params ?? {},
    isApi ? hosts.counted : hosts.uncounted,
  );
  if (path.startsWith('/_control/')) return handleControl(state, exchange, path);
  if (!isApi) return exchange.sendFailure(notFound(`Invalid URL (${method} ${url.pathname})`));
  const basic = state.options().basicAuth;
  if (basic !== undefined) {
    if (request.headers.authorization !== `Basic ${Buffer.from(basic).toString('base64')}`)
      return exchange.sendFailure(invalidApiKey(''));
  } else {
    const key = bearerKey(request.headers.authorization);
    const expected = state.options().apiKey;
    if (key === '' || (expected !== undefined && key !== expected)) return exchange.sendFailure(invalidApiKey(key));
  }
  if (!matched) return exchange.sendFailure(notFound(`Invalid URL (${method} ${url.pathname})`));
  try {
    await matched.route.handler(state, exchange);
  } catch (error) {
    process.stderr.write(
      `test server: ${method} ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    exchange.sendJson(500, {
      error: { message: 'Internal test server error.', type: 'server_error', param: null, code: null },
    });
  }
}

function bearerKey(header: string | undefined): string {
  return /^Bearer\s+(.*)$/i.exec(header ?? '')?.[1]?.trim() ?? '';
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch {
    return undefined;
  }
}
