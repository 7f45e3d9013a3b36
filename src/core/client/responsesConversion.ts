import type { ChatCompletion, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import { PromptMeterError } from './errors';

type Json = Record<string, unknown>;

/**
 * Chat Completions parameters with no Responses counterpart (API reference, "Create a model response"; OpenAI's
 * "Migrate to the Responses API" guide). Sending them would be rejected, and dropping them silently would run
 * something other than what the prompt says, so the conversion refuses them.
 */
const NOT_IN_RESPONSES = [
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'audio',
  'modalities',
  'prediction',
] as const;

/** Parameters that keep their name and meaning. */
const SAME_NAME = [
  'model',
  'temperature',
  'top_p',
  'top_logprobs',
  'parallel_tool_calls',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'user',
  'safety_identifier',
  'metadata',
  'store',
  'stream',
] as const;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function refuse(parameter: string, why: string): PromptMeterError {
  return new PromptMeterError({
    reason: 'badRequest',
    message: `The Responses API has no '${parameter}' (${why}).`,
    action: `Remove '${parameter}' from the prompt, or run it through Chat Completions (api: chat) on a model that serves it.`,
  });
}

function contentParts(content: unknown, role: string): unknown {
  if (!Array.isArray(content)) return content;
  const textType = role === 'assistant' ? 'output_text' : 'input_text';
  return content.map((part: unknown) => {
    const item = object(part) ?? {};
    if (item['type'] === 'text') return { type: textType, text: item['text'] };
    if (item['type'] === 'image_url')
      return {
        type: 'input_image',
        image_url: object(item['image_url'])?.['url'],
        detail: object(item['image_url'])?.['detail'] ?? 'auto',
      };
    return item;
  });
}

/** Chat messages as Responses input items: tool calls and tool results become function_call(_output) items. */
function inputItems(messages: readonly unknown[]): unknown[] {
  const items: unknown[] = [];
  for (const raw of messages) {
    const message = object(raw) ?? {};
    const role = String(message['role'] ?? 'user');
    if (role === 'tool') {
      items.push({
        type: 'function_call_output',
        call_id: message['tool_call_id'],
        output: typeof message['content'] === 'string' ? message['content'] : JSON.stringify(message['content']),
      });
      continue;
    }
    const content = message['content'];
    if (content !== undefined && content !== null && content !== '')
      items.push({ role, content: contentParts(content, role) });
    for (const call of Array.isArray(message['tool_calls']) ? message['tool_calls'] : []) {
      const fn = object(object(call)?.['function']) ?? {};
      items.push({
        type: 'function_call',
        call_id: object(call)?.['id'],
        name: fn['name'],
        arguments: fn['arguments'],
      });
    }
  }
  return items;
}

/** `response_format` and `verbosity` as the Responses `text` object. */
function textOption(body: Json): Json | undefined {
  const format = object(body['response_format']);
  const text: Json = {};
  if (format?.['type'] === 'json_schema')
    text['format'] = { type: 'json_schema', ...(object(format['json_schema']) ?? {}) };
  else if (format) text['format'] = { type: format['type'] };
  if (body['verbosity'] !== undefined) text['verbosity'] = body['verbosity'];
  return Object.keys(text).length > 0 ? text : undefined;
}

function toolChoice(choice: unknown): unknown {
  const named = object(choice);
  return named && named['type'] === 'function'
    ? { type: 'function', name: object(named['function'])?.['name'] }
    : choice;
}

/**
 * The Responses body for a Chat Completions shaped one (the shape every prompt format is built into): leading
 * system/developer messages → `instructions`, the rest → `input` items; `max_completion_tokens` / `max_tokens` →
 * `max_output_tokens`; `reasoning_effort` → `reasoning.effort`; `response_format` (+ `verbosity`) → `text.format`
 * (+ `text.verbosity`); function tools flattened; `logprobs` → `include: ['message.output_text.logprobs']`.
 * Throws a PromptMeterError for what Responses cannot carry (`n` > 1, `stop`, `seed`, penalties, `logit_bias`, …).
 */
export function toResponsesRequest(chat: Json): Json {
  for (const parameter of NOT_IN_RESPONSES) {
    if (chat[parameter] !== undefined && chat[parameter] !== null)
      throw refuse(parameter, 'it is a Chat Completions parameter only');
  }
  if (typeof chat['n'] === 'number' && chat['n'] > 1) throw refuse('n', 'it returns one answer per request');
  const body: Json = {};
  for (const parameter of SAME_NAME) if (chat[parameter] !== undefined) body[parameter] = chat[parameter];
  const messages = Array.isArray(chat['messages']) ? chat['messages'] : [];
  let leading = 0;
  const instructions: string[] = [];
  while (leading < messages.length) {
    const message = object(messages[leading]);
    if (
      !message ||
      (message['role'] !== 'system' && message['role'] !== 'developer') ||
      typeof message['content'] !== 'string'
    )
      break;
    instructions.push(message['content']);
    leading += 1;
  }
  if (instructions.length > 0) body['instructions'] = instructions.join('\n\n');
  body['input'] = inputItems(messages.slice(leading));
  const cap = chat['max_completion_tokens'] ?? chat['max_tokens'];
  if (cap !== undefined && cap !== null) body['max_output_tokens'] = cap;
  if (chat['reasoning_effort'] !== undefined) body['reasoning'] = { effort: chat['reasoning_effort'] };
  const text = textOption(chat);
  if (text) body['text'] = text;
  if (Array.isArray(chat['tools'])) {
    body['tools'] = chat['tools'].map((tool: unknown) => {
      const fn = object(object(tool)?.['function']);
      return fn ? { type: 'function', ...fn } : tool;
    });
  }
  if (chat['tool_choice'] !== undefined) body['tool_choice'] = toolChoice(chat['tool_choice']);
  if (chat['logprobs'] === true) body['include'] = ['message.output_text.logprobs'];
  return body;
}

/** finish_reason for a Responses status: `incomplete` by `max_output_tokens` → length, by `content_filter` → content_filter. */
function finishReason(response: Json, hasToolCalls: boolean): ChatCompletion.Choice['finish_reason'] {
  if (response['status'] === 'incomplete') {
    return object(response['incomplete_details'])?.['reason'] === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/**
 * The `ChatCompletion` a Responses answer amounts to, so both APIs are cached, priced, recorded and shown alike:
 * message text (output_text parts) and refusals joined, function_call items as tool calls, the status as
 * finish_reason, and usage renamed (`input_tokens` → `prompt_tokens`, `output_tokens` → `completion_tokens`,
 * cached and reasoning tokens in their details).
 */
export function fromResponsesAnswer(response: Json): ChatCompletion {
  let text: string | null = null;
  let refusal: string | null = null;
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const raw of Array.isArray(response['output']) ? response['output'] : []) {
    const item = object(raw) ?? {};
    if (item['type'] === 'function_call') {
      toolCalls.push({
        id: String(item['call_id'] ?? item['id'] ?? ''),
        type: 'function',
        function: { name: String(item['name'] ?? ''), arguments: String(item['arguments'] ?? '') },
      });
    }
    if (item['type'] !== 'message') continue;
    for (const part of Array.isArray(item['content']) ? item['content'] : []) {
      const content = object(part) ?? {};
      if (content['type'] === 'output_text') text = (text ?? '') + String(content['text'] ?? '');
      if (content['type'] === 'refusal') refusal = (refusal ?? '') + String(content['refusal'] ?? '');
    }
  }
  const usage = object(response['usage']);
  return {
    id: String(response['id'] ?? ''),
    object: 'chat.completion',
    created: typeof response['created_at'] === 'number' ? response['created_at'] : 0,
    model: String(response['model'] ?? ''),
    ...(typeof response['service_tier'] === 'string'
      ? { service_tier: response['service_tier'] as ChatCompletion['service_tier'] }
      : {}),
    choices: [
      {
        index: 0,
        finish_reason: finishReason(response, toolCalls.length > 0),
        logprobs: null,
        message: {
          role: 'assistant',
          content: text,
          refusal,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
      },
    ],
    ...(usage
      ? {
          usage: {
            prompt_tokens: Number(usage['input_tokens'] ?? 0),
            completion_tokens: Number(usage['output_tokens'] ?? 0),
            total_tokens: Number(usage['total_tokens'] ?? 0),
            prompt_tokens_details: {
              cached_tokens: Number(object(usage['input_tokens_details'])?.['cached_tokens'] ?? 0),
            },
            completion_tokens_details: {
              reasoning_tokens: Number(object(usage['output_tokens_details'])?.['reasoning_tokens'] ?? 0),
            },
          },
        }
      : {}),
  };
}
