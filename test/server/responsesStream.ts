import type { Exchange } from './exchange';
import { truncateJson } from './jsonBody';
import { messageItem, outputTextPart, reasoningItem, type ResponsesPlan, responseObject } from './responsesObject';

/** Characters per streamed text delta. */
const CHARACTERS_PER_DELTA = 12;

/**
 * Streams a Responses answer with OpenAI's semantic events (`event:` + `data:` carrying `type` and
 * `sequence_number`): response.created, response.in_progress, the reasoning item, then for the message
 * response.output_item.added, response.content_part.added, response.output_text.delta…, response.output_text.done,
 * response.content_part.done, response.output_item.done, and last response.completed (or response.incomplete when
 * the cap cut it) with usage. No `[DONE]` line (API reference, "Streaming events").
 */
export async function streamResponse(
  exchange: Exchange,
  plan: ResponsesPlan,
  chunkDelayMilliseconds: number,
  malformed = false,
): Promise<boolean> {
  let sequence = 0;
  const send = (type: string, fields: Record<string, unknown>): void => {
    exchange.writeNamedEvent(type, JSON.stringify({ type, sequence_number: sequence, ...fields }));
    sequence += 1;
  };
  exchange.startEventStream();
  send('response.created', { response: responseObject(plan, 'in_progress') });
  send('response.in_progress', { response: responseObject(plan, 'in_progress') });
  if (malformed) {
    // An injected `malformedJson`: a truncated event, then the stream ends without response.completed.
    exchange.writeNamedEvent(
      'response.output_text.delta',
      truncateJson(JSON.stringify({ type: 'response.output_text.delta', delta: 'broken' })),
    );
    exchange.endStream();
    return false;
  }
  let outputIndex = 0;
  const reasoning = reasoningItem(plan);
  if (reasoning) {
    send('response.output_item.added', { output_index: outputIndex, item: reasoning });
    send('response.output_item.done', { output_index: outputIndex, item: reasoning });
    outputIndex += 1;
  }
  if (!(plan.text === '' && plan.incomplete)) {
    const item = { item_id: plan.messageItemId, output_index: outputIndex, content_index: 0 };
    send('response.output_item.added', {
      output_index: outputIndex,
      item: messageItem(plan, 'in_progress', undefined),
    });
    send('response.content_part.added', { ...item, part: outputTextPart('') });
    for (let start = 0; start < plan.text.length; start += CHARACTERS_PER_DELTA) {
      if (!(await exchange.pause(chunkDelayMilliseconds))) return false;
      send('response.output_text.delta', {
        ...item,
        delta: plan.text.slice(start, start + CHARACTERS_PER_DELTA),
        logprobs: [],
      });
    }
    send('response.output_text.done', { ...item, text: plan.text, logprobs: [] });
    send('response.content_part.done', { ...item, part: outputTextPart(plan.text) });
    send('response.output_item.done', {
      output_index: outputIndex,
      item: messageItem(plan, plan.incomplete ? 'incomplete' : 'completed', plan.text),
    });
  }
  send(plan.incomplete ? 'response.incomplete' : 'response.completed', { response: responseObject(plan, 'done') });
  exchange.endStream();
  return !exchange.signal.aborted;
}
