import { embeddingsBody, parseEmbeddingsRequest } from './embeddings';
import { invalidJsonBody } from './errors';
import type { Exchange } from './exchange';
import { parseJsonObject, truncateJson } from './jsonBody';
import { passGate } from './requestGate';
import type { ServerState } from './serverState';

/** `POST /v1/embeddings`; the TPM charge is the inputs' token count. */
export async function handleEmbeddings(state: ServerState, exchange: Exchange): Promise<void> {
  const body = parseJsonObject(exchange.body);
  if (!body) return exchange.sendFailure(invalidJsonBody());
  const request = parseEmbeddingsRequest(body, state.options(), state.tokenizer);
  if ('status' in request) return exchange.sendFailure(request);
  const gate = await passGate(state, exchange, request.model, request.promptTokens);
  if (gate === 'handled') return;
  const text = JSON.stringify(embeddingsBody(request));
  if (gate === 'answerMalformed') {
    exchange.sendRaw(200, 'application/json', truncateJson(text));
    return;
  }
  if (exchange.sendRaw(200, 'application/json', text)) state.recordEmbeddings(request, false);
}
