import { invalidJsonBody } from './errors';
import type { Exchange } from './exchange';
import { unixSeconds } from './ids';
import { parseJsonObject, truncateJson } from './jsonBody';
import { passGate } from './requestGate';
import { planResponse, responseObject } from './responsesObject';
import { parseResponsesRequest } from './responsesRequest';
import { streamResponse } from './responsesStream';
import type { ServerState } from './serverState';

/** `POST /v1/responses`, plain or streamed; the same gate, rules, answers and prompt cache as chat. */
export async function handleResponses(state: ServerState, exchange: Exchange): Promise<void> {
  const body = parseJsonObject(exchange.body);
  if (!body) return exchange.sendFailure(invalidJsonBody());
  const options = state.options();
  const request = parseResponsesRequest(body, options, state.tokenizer);
  if ('status' in request) return exchange.sendFailure(request);
  const gate = await passGate(state, exchange, request.model, request.rateLimitWeight);
  if (gate === 'handled') return;
  const answer = state.answerChat(request);
  const plan = planResponse(request, body, answer, unixSeconds());
  if (request.stream) {
    if (await streamResponse(exchange, plan, options.streamChunkDelayMs)) state.recordChat(request, answer, false);
    return;
  }
  const text = JSON.stringify(responseObject(plan, 'done'));
  if (gate === 'answerMalformed') {
    exchange.sendRaw(200, 'application/json', truncateJson(text));
    return;
  }
  if (exchange.sendRaw(200, 'application/json', text)) state.recordChat(request, answer, false);
}
