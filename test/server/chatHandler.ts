import { completionBody } from './chatAnswer';
import { parseChatRequest } from './chatRequest';
import { streamAnswer } from './chatStream';
import { invalidJsonBody } from './errors';
import type { Exchange } from './exchange';
import { newId, unixSeconds } from './ids';
import { parseJsonObject, truncateJson } from './jsonBody';
import { passGate } from './requestGate';
import type { ServerState } from './serverState';

/** `POST /v1/chat/completions`, plain or streamed. */
export async function handleChatCompletions(state: ServerState, exchange: Exchange): Promise<void> {
  const body = parseJsonObject(exchange.body);
  if (!body) return exchange.sendFailure(invalidJsonBody());
  const options = state.options();
  const request = parseChatRequest(body, options, state.tokenizer);
  if ('status' in request) return exchange.sendFailure(request);
  const gate = await passGate(state, exchange, request.model, request.rateLimitWeight);
  if (gate === 'handled') return;
  const answer = state.answerChat(request);
  const id = newId('chatcmpl-');
  const created = unixSeconds();
  if (request.stream) {
    const completed = await streamAnswer(exchange, answer, {
      id,
      created,
      model: request.model,
      includeUsage: request.includeUsage,
      chunkDelayMilliseconds: options.streamChunkDelayMs,
      malformed: gate === 'answerMalformed',
      decode: (tokens) => state.tokenizer.decode(tokens),
    });
    if (completed) state.recordChat(request, answer, false);
    return;
  }
  const text = JSON.stringify(completionBody(answer, request.model, id, created));
  if (gate === 'answerMalformed') {
    exchange.sendRaw(200, 'application/json', truncateJson(text));
    return;
  }
  if (exchange.sendRaw(200, 'application/json', text)) state.recordChat(request, answer, false);
}
