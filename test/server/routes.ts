import { handleCancelBatch, handleCreateBatch, handleListBatches, handleRetrieveBatch } from './batchHandlers';
import { handleChatCompletions } from './chatHandler';
import { handleEmbeddings } from './embeddingsHandler';
import type { Exchange } from './exchange';
import {
  handleDeleteFile,
  handleFileContent,
  handleListFiles,
  handleRetrieveFile,
  handleUploadFile,
} from './fileHandlers';
import { handleListModels, handleRetrieveModel } from './models';
import { handleResponses } from './responsesHandler';
import type { ServerState } from './serverState';

/** Answers one routed request. */
export type RouteHandler = (state: ServerState, exchange: Exchange) => void | Promise<void>;

/** A `/v1` route; `:name` segments become `exchange.params`. */
export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly handler: RouteHandler;
}

/** Every OpenAI-compatible route the server answers. */
export const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: '/v1/chat/completions', handler: handleChatCompletions },
  { method: 'POST', pattern: '/v1/responses', handler: handleResponses },
  { method: 'POST', pattern: '/v1/embeddings', handler: handleEmbeddings },
  { method: 'GET', pattern: '/v1/models', handler: handleListModels },
  { method: 'GET', pattern: '/v1/models/:id', handler: handleRetrieveModel },
  { method: 'POST', pattern: '/v1/files', handler: handleUploadFile },
  { method: 'GET', pattern: '/v1/files', handler: handleListFiles },
  { method: 'GET', pattern: '/v1/files/:id', handler: handleRetrieveFile },
  { method: 'GET', pattern: '/v1/files/:id/content', handler: handleFileContent },
  { method: 'DELETE', pattern: '/v1/files/:id', handler: handleDeleteFile },
  { method: 'POST', pattern: '/v1/batches', handler: handleCreateBatch },
  { method: 'GET', pattern: '/v1/batches', handler: handleListBatches },
  { method: 'GET', pattern: '/v1/batches/:id', handler: handleRetrieveBatch },
  { method: 'POST', pattern: '/v1/batches/:id/cancel', handler: handleCancelBatch },
];

/** The route for `method` and `path` with its parameters, or undefined. */
export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const patternSegments = route.pattern.split('/').filter((segment) => segment !== '');
    if (patternSegments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = patternSegments.every((patternSegment, index) => {
      const segment = segments[index] ?? '';
      if (patternSegment.startsWith(':')) {
        params[patternSegment.slice(1)] = decodeURIComponent(segment);
        return true;
      }
      return patternSegment === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}
