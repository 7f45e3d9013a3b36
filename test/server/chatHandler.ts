import { completionBody } from './chatAnswer';
import { parseChatRequest } from './chatRequest';
import { streamAnswer } from './chatStream';
import type { Exchange } from './exchange';
import { newId, unixSeconds } from './ids';
import { truncateJson } from './jsonBody';
import { admitRequest } from './requestGate';
import type { ServerState } from './serverState';

/** `POST /v1/chat/completions`, plain or streamed. */
export async function handleChatCompletions(state: ServerState, exchange: Exchange): Promise<void> {
  const admitted = await admitRequest(state, exchange, parseChatRequest);
  if (!admitted) return;
  const { request, malformed } = admitted;
  const options = state.options();
  const answer = state.answerChat(request);
  const id = newId('chatcmpl-');
  const created = unixSeconds();
  if (request.stream) {
    const completed = await streamAnswer(exchange, answer, {
      id,
      created,
      model: request.model,
      serviceTier: request.serviceTier,
      includeUsage: request.includeUsage,
      chunkDelayMilliseconds: options.streamChunkDelayMs,
      malformed,
      decode: (tokens) => state.tokenizer.decode(tokens),
    });
    if (completed) state.recordChat(request, answer, false);
    return;
  }
  const text = JSON.stringify(completionBody(answer, request.model, id, created, request.serviceTier));
  if (malformed) {
    exchange.sendRaw(200, 'application/json', truncateJson(text));
    return;
  }
  if (exchange.sendRaw(200, 'application/json', text)) state.recordChat(request, answer, false);
}
