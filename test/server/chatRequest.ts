import { canonicalRequestKey } from './canonicalKey';
import {
  type ApiFailure,
  contextLengthExceeded,
  invalidParameter,
  missingParameter,
  modelAccessDenied,
  modelNotFound,
  modelNotSupported,
  onlyOnResponses,
} from './errors';
import type { ReasoningEffort } from './modelRules';
import { ruleFor } from './modelRules';
import type { TestServerOptions } from './options';
import { type ApiShape, checkModelParameters, type ServedTier } from './parameterRules';
import type { BilledMessage, PromptTokenizer, ToolFunction } from './tokenizer';

/** A validated chat completion request with its billed prompt. */
export interface ChatRequest {
  readonly model: string;
  readonly n: number;
  /** `max_completion_tokens` ?? `max_tokens` (`max_output_tokens` on Responses); undefined when none is set. */
  readonly maxOutputTokens: number | undefined;
  /** Reasoning effort in force (the request's or the model's default); undefined for non-reasoning models. */
  readonly effort: ReasoningEffort | undefined;
  /** The tier the answer says served it (`service_tier` in the answer). */
  readonly serviceTier: ServedTier;
  readonly stream: boolean;
  /** `stream_options.include_usage`. */
  readonly includeUsage: boolean;
  /** Billed prompt as tokens (framing included); its length is `prompt_tokens`. */
  readonly promptSequence: readonly number[];
  /** See `canonicalRequestKey`. */
  readonly key: string;
  /** Text of the last user message (the answer quotes its digest). */
  readonly lastUserText: string;
  /** TPM charge at admission: prompt tokens + max output tokens × n (0 output when no maximum is set). */
  readonly rateLimitWeight: number;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/** True when `model` is served by `/v1/embeddings` rather than chat. */
export function isEmbeddingModel(model: string): boolean {
  return model.startsWith('text-embedding');
}

/** Checks the model name against the known list; undefined when it is fine for chat or embeddings. */
export function checkModel(
  model: unknown,
  options: TestServerOptions,
  endpoint: 'chat' | 'embeddings',
): ApiFailure | undefined {
  if (typeof model !== 'string' || model === '') return missingParameter('model');
  if (!options.models.includes(model)) return modelNotFound(model);
  if (options.deniedModels.includes(model)) return modelAccessDenied(model);
  if ((endpoint === 'embeddings') !== isEmbeddingModel(model)) {
    return modelNotSupported(model, endpoint === 'chat' ? 'v1/chat/completions' : 'v1/embeddings');
  }
  return undefined;
}

/** Validates a parsed JSON body as a chat completion request, OpenAI-style (400 / 404 failures). */
export function parseChatRequest(
  body: Record<string, unknown>,
  options: TestServerOptions,
  tokenizer: PromptTokenizer,
): ChatRequest | ApiFailure {
  // Shape first (400), then whether the model exists (404), like OpenAI.
  if (typeof body['model'] !== 'string' || body['model'] === '') return missingParameter('model');
  const messages = parseMessages(body['messages']);
  if ('status' in messages) return messages;
  const modelFailure = checkModel(body['model'], options, 'chat');
  if (modelFailure) return modelFailure;
  const n = body['n'] ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128)
    return invalidParameter('n', `Invalid 'n': expected an integer from 1 to 128.`);
  if (!ruleFor(body['model']).chatCompletions) return onlyOnResponses();
  return validatedRequest(
    body,
    'chat',
    { model: body['model'], n, messages, tools: readTools(body['tools']), keyBody: body },
    options,
    tokenizer,
  );
}

/** What a chat or Responses body says once its own shape is parsed. */
export interface RequestCore {
  readonly model: string;
  readonly n: number;
  readonly messages: readonly BilledMessage[];
  readonly tools: readonly ToolFunction[];
  /** The body in chat names that `canonicalRequestKey` is computed from (the body itself for chat). */
  readonly keyBody: Record<string, unknown>;
}

/**
 * The checks both endpoints share, after their own shape and the model were checked: the model's parameter rules
 * (see `checkModelParameters`), then the context window; builds the validated request.
 */
export function validatedRequest(
  body: Record<string, unknown>,
  shape: ApiShape,
  core: RequestCore,
  options: TestServerOptions,
  tokenizer: PromptTokenizer,
): ChatRequest | ApiFailure {
  const { model, n, messages } = core;
  const accepted = checkModelParameters(body, model, shape);
  if ('status' in accepted) return accepted;
  const maxOutput = accepted.maxOutputTokens;
  const promptSequence = tokenizer.chatPromptSequence(messages, core.tools);
  const contextWindow = options.contextWindows[model] ?? options.defaultContextWindow;
  if (promptSequence.length + (maxOutput ?? 0) > contextWindow) {
    return contextLengthExceeded(contextWindow, promptSequence.length, maxOutput ?? 0);
  }
  const streamOptions = body['stream_options'];
  return {
    model,
    n,
    maxOutputTokens: maxOutput,
    effort: accepted.effort,
    serviceTier: accepted.serviceTier,
    stream: body['stream'] === true,
    includeUsage:
      shape === 'responses' ||
      (typeof streamOptions === 'object' &&
        streamOptions !== null &&
        (streamOptions as Record<string, unknown>)['include_usage'] === true),
    promptSequence,
    key: canonicalRequestKey(core.keyBody),
    lastUserText: [...messages].reverse().find((message) => message.role === 'user')?.content ?? '',
    rateLimitWeight: promptSequence.length + (maxOutput ?? 0) * n,
  };
}

/** Validates chat `messages` (also used for Responses input items, which share the role/content shape). */
export function parseMessages(value: unknown): BilledMessage[] | ApiFailure {
  if (value === undefined || value === null) return missingParameter('messages');
  if (!Array.isArray(value) || value.length === 0)
    return invalidParameter('messages', "Invalid 'messages': expected a non-empty array.");
  const messages: BilledMessage[] = [];
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'object' || item === null)
      return invalidParameter(`messages[${index}]`, `Invalid 'messages[${index}]': expected an object.`);
    const message = item as Record<string, unknown>;
    const role = message['role'];
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return invalidParameter(
        `messages[${index}].role`,
        `Invalid value for 'messages[${index}].role': ${JSON.stringify(role)}.`,
      );
    }
    const name = message['name'];
    messages.push({ role, content: billedContent(message), ...(typeof name === 'string' ? { name } : {}) });
  }
  return messages;
}

/** Text parts joined; tool calls billed as their JSON; other parts (images, audio) are not billed here. */
function billedContent(message: Record<string, unknown>): string {
  const content = message['content'];
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null ? (part as Record<string, unknown>)['text'] : undefined,
      )
      .filter((part): part is string => typeof part === 'string')
      .join('');
  }
  const toolCalls = message['tool_calls'];
  return toolCalls === undefined ? text : text + JSON.stringify(toolCalls);
}

/** Function definitions of chat `tools` (`{type: 'function', function: {...}}`). */
export function readTools(value: unknown): ToolFunction[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((tool: unknown) =>
      typeof tool === 'object' && tool !== null ? (tool as Record<string, unknown>)['function'] : undefined,
    )
    .filter((definition): definition is ToolFunction => typeof definition === 'object' && definition !== null);
}
