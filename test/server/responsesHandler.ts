import type { Exchange } from './exchange';
import { unixSeconds } from './ids';
import { truncateJson } from './jsonBody';
import { admitRequest } from './requestGate';
import { planResponse, responseObject } from './responsesObject';
import { parseResponsesRequest } from './responsesRequest';
import { streamResponse } from './responsesStream';
import type { ServerState } from './serverState';

/** `POST /v1/responses`, plain or streamed; the same gate, rules, answers and prompt cache as chat. */
export async function handleResponses(state: ServerState, exchange: Exchange): Promise<void> {
  const admitted = await admitRequest(state, exchange, parseResponsesRequest);
  if (!admitted) return;
  const { request, body, malformed } = admitted;
  const answer = state.answerChat(request);
  const plan = planResponse(request, body, answer, unixSeconds());
  if (request.stream) {
    if (await streamResponse(exchange, plan, state.options().streamChunkDelayMs, malformed))
      state.recordChat(request, answer, false);
    return;
  }
  const text = JSON.stringify(responseObject(plan, 'done'));
  if (malformed) {
    exchange.sendRaw(200, 'application/json', truncateJson(text));
    return;
  }
  if (exchange.sendRaw(200, 'application/json', text)) state.recordChat(request, answer, false);
}
