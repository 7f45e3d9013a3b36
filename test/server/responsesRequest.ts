import { type ChatRequest, checkModel, parseMessages, validatedRequest } from './chatRequest';
import { type ApiFailure, invalidParameter, missingParameter } from './errors';
import type { TestServerOptions } from './options';
import type { PromptTokenizer, ToolFunction } from './tokenizer';

/**
 * `input` of a Responses request as chat messages: a string is one user message; an array holds message items
 * (`{role, content}` with a string or `input_text`/`output_text` parts, `type: "message"` optional). `instructions`
 * become a leading developer message (API reference, "Create a model response": input, instructions).
 */
function inputMessages(body: Record<string, unknown>): unknown[] | ApiFailure {
  const input = body['input'];
  if (input === undefined || input === null) return missingParameter('input');
  const items = typeof input === 'string' ? [{ role: 'user', content: input }] : input;
  if (!Array.isArray(items) || items.length === 0)
    return invalidParameter('input', "Invalid 'input': expected a string or a non-empty array.");
  const instructions = body['instructions'];
  return typeof instructions === 'string' && instructions !== ''
    ? [{ role: 'developer', content: instructions }, ...items]
    : items;
}

/** Responses tools are flat (`{type: "function", name, parameters}`), unlike chat's nested `function`. */
function responsesTools(value: unknown): ToolFunction[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (tool): tool is ToolFunction =>
      typeof tool === 'object' && tool !== null && (tool as Record<string, unknown>)['type'] === 'function',
  );
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Validates a `POST /v1/responses` body with the same model rules as chat, under the Responses names
 * (`max_output_tokens`, `reasoning.effort`, `text.format`); one choice, usage always reported.
 */
export function parseResponsesRequest(
  body: Record<string, unknown>,
  options: TestServerOptions,
  tokenizer: PromptTokenizer,
): ChatRequest | ApiFailure {
  if (typeof body['model'] !== 'string' || body['model'] === '') return missingParameter('model');
  const items = inputMessages(body);
  if ('status' in items) return items;
  const messages = parseMessages(items);
  if ('status' in messages)
    return {
      ...messages,
      error: { ...messages.error, param: messages.error.param?.replace(/^messages/, 'input') ?? null },
    };
  const modelFailure = checkModel(body['model'], options, 'chat');
  if (modelFailure) return modelFailure;
  const tools = responsesTools(body['tools']);
  // The duplicate-detection key in chat names, so one job asked through either endpoint counts alike.
  const keyBody = {
    model: body['model'],
    messages: items,
    max_completion_tokens: body['max_output_tokens'],
    reasoning_effort: field(body['reasoning'], 'effort'),
    response_format: field(body['text'], 'format'),
    temperature: body['temperature'],
    top_p: body['top_p'],
    tools: tools.length > 0 ? tools : undefined,
  };
  return validatedRequest(
    body,
    'responses',
    { model: body['model'], n: 1, messages, tools, keyBody },
    options,
    tokenizer,
  );
}
