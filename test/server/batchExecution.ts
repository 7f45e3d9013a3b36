import { completionBody } from './chatAnswer';
import { parseChatRequest } from './chatRequest';
import { embeddingsBody, parseEmbeddingsRequest } from './embeddings';
import { newId, unixSeconds } from './ids';
import { planResponse, responseObject } from './responsesObject';
import { parseResponsesRequest } from './responsesRequest';
import type { ServerState } from './serverState';

/**
 * Answers one batch line like the synchronous endpoint would, but without the rate limiter, latency or faults
 * (batch work has its own queue at OpenAI). Validation failures become that line's status and error body.
 */
export function executeBatchLine(
  state: ServerState,
  endpoint: string,
  body: Record<string, unknown>,
): { statusCode: number; body: unknown } {
  const options = state.options();
  if (endpoint === '/v1/embeddings') {
    const request = parseEmbeddingsRequest(body, options, state.tokenizer);
    if ('status' in request) return { statusCode: request.status, body: { error: request.error } };
    state.recordEmbeddings(request, true);
    return { statusCode: 200, body: embeddingsBody(request) };
  }
  if (endpoint === '/v1/responses') {
    const request = parseResponsesRequest(body, options, state.tokenizer);
    if ('status' in request) return { statusCode: request.status, body: { error: request.error } };
    const answer = state.answerChat(request);
    state.recordChat(request, answer, true);
    return { statusCode: 200, body: responseObject(planResponse(request, body, answer, unixSeconds()), 'done') };
  }
  const request = parseChatRequest(body, options, state.tokenizer);
  if ('status' in request) return { statusCode: request.status, body: { error: request.error } };
  const answer = state.answerChat(request);
  state.recordChat(request, answer, true);
  return { statusCode: 200, body: completionBody(answer, request.model, newId('chatcmpl-'), unixSeconds()) };
}
