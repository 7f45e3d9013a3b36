/** The `error` object of an OpenAI error response. */
export interface ApiError {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** An error with the HTTP status it is sent with. */
export interface ApiFailure {
  readonly status: number;
  readonly error: ApiError;
}

const RATE_LIMIT_DOCS = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

function failure(status: number, message: string, type: string, param: string | null, code: string | null): ApiFailure {
  return { status, error: { message, type, param, code } };
}

/** 401 for a missing, empty or wrong bearer key. */
export function invalidApiKey(providedKey: string): ApiFailure {
  const message =
    providedKey === ''
      ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      : `Incorrect API key provided: ${maskKey(providedKey)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
  return failure(401, message, 'invalid_request_error', null, 'invalid_api_key');
}

/** 400 for a body that is not JSON (or not an object). */
export function invalidJsonBody(): ApiFailure {
  return failure(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    'invalid_request_error',
    null,
    null,
  );
}

/** 400 for a missing required parameter. */
export function missingParameter(param: string): ApiFailure {
  return failure(
    400,
    `Missing required parameter: '${param}'.`,
    'invalid_request_error',
    param,
    'missing_required_parameter',
  );
}

/** 400 for a parameter with a wrong type or value. */
export function invalidParameter(param: string, message: string): ApiFailure {
  return failure(400, message, 'invalid_request_error', param, 'invalid_value');
}

/**
 * 400 `unsupported_parameter`: a parameter the model does not take at all, e.g. "Unsupported parameter:
 * 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead." (API_FACTS, gpt-5 family)
 * or "Unsupported parameter: 'presence_penalty' is not supported with this model." (nextai-translator#1781).
 */
export function unsupportedParameter(param: string, hint = ''): ApiFailure {
  return failure(
    400,
    `Unsupported parameter: '${param}' is not supported with this model.${hint}`,
    'invalid_request_error',
    param,
    'unsupported_parameter',
  );
}

/** 400 `unsupported_value` with OpenAI's wording (API_FACTS; openai-agents-python#2089 for efforts). */
export function unsupportedValue(param: string, message: string): ApiFailure {
  return failure(400, `Unsupported value: ${message}`, 'invalid_request_error', param, 'unsupported_value');
}

/** 400 when the output cap exceeds the model's max output (wording from captures such as forgecode#1185). */
export function maxTokensTooLarge(param: string, requested: number, maximum: number): ApiFailure {
  return failure(
    400,
    `${param} is too large: ${requested}. This model supports at most ${maximum} completion tokens, whereas you provided ${requested}.`,
    'invalid_request_error',
    param,
    'invalid_value',
  );
}

/** 400 for Structured Outputs on a model without them (OpenAI's Structured Outputs guide lists supported models). */
export function structuredOutputsUnsupported(param: string): ApiFailure {
  return failure(
    400,
    `Invalid parameter: '${param}' of type 'json_schema' is not supported with this model. Learn more about supported models at the Structured Outputs guide: https://platform.openai.com/docs/guides/structured-outputs`,
    'invalid_request_error',
    param,
    null,
  );
}

/** 400 for a model that one endpoint does not serve but another does (o3-pro: Responses only). */
export function onlyOnResponses(): ApiFailure {
  return failure(
    400,
    'This model is only supported in v1/responses and not in v1/chat/completions.',
    'invalid_request_error',
    'model',
    null,
  );
}

/**
 * 403 for a model the key's project may not use: OpenAI's PermissionDeniedError body, code `model_not_found`
 * (seen in Aider-AI/aider#1903: `Project \`proj_…\` does not have access to model \`gpt-4o-mini\``).
 */
export function modelAccessDenied(model: string): ApiFailure {
  return failure(
    403,
    `Project \`proj_test\` does not have access to model \`${model}\``,
    'invalid_request_error',
    null,
    'model_not_found',
  );
}

/** 404 for a model the server does not know. */
export function modelNotFound(model: string): ApiFailure {
  return failure(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error',
    null,
    'model_not_found',
  );
}

/** 404 for a known model used on an endpoint that does not serve it (e.g. an embedding model for chat). */
export function modelNotSupported(model: string, endpoint: string): ApiFailure {
  return failure(
    404,
    `The model \`${model}\` is not supported in the ${endpoint} endpoint.`,
    'invalid_request_error',
    'model',
    null,
  );
}

/** 400 when the prompt (plus the requested completion) exceeds the model's context window. */
export function contextLengthExceeded(
  contextWindow: number,
  promptTokens: number,
  completionTokens: number,
): ApiFailure {
  const requested =
    completionTokens > 0
      ? `you requested ${promptTokens + completionTokens} tokens (${promptTokens} in the messages, ${completionTokens} in the completion)`
      : `your messages resulted in ${promptTokens} tokens`;
  return failure(
    400,
    `This model's maximum context length is ${contextWindow} tokens. However, ${requested}. Please reduce the length of the messages or completion.`,
    'invalid_request_error',
    'messages',
    'context_length_exceeded',
  );
}

/** Which per-minute limit a 429 is about. */
export type LimitKind = 'requests' | 'tokens';

/** 429 `rate_limit_exceeded`, worded exactly like OpenAI's. */
export function rateLimitReached(details: {
  model: string;
  organization: string;
  kind: LimitKind;
  limit: number;
  used: number;
  requested: number;
  retryText: string;
}): ApiFailure {
  const scope = details.kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  return failure(
    429,
    `Rate limit reached for ${details.model} in organization ${details.organization} on ${scope}: Limit ${details.limit}, Used ${details.used}, Requested ${details.requested}. Please try again in ${details.retryText}. ${RATE_LIMIT_DOCS}`,
    details.kind,
    null,
    'rate_limit_exceeded',
  );
}

/** 429 for a single request heavier than the whole per-minute token limit. */
export function requestTooLarge(model: string, organization: string, limit: number, requested: number): ApiFailure {
  return failure(
    429,
    `Request too large for ${model} in organization ${organization} on tokens per min (TPM): Limit ${limit}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully. ${RATE_LIMIT_DOCS}`,
    'tokens',
    null,
    'rate_limit_exceeded',
  );
}

/** 429 `insufficient_quota`. */
export function insufficientQuota(): ApiFailure {
  return failure(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    'insufficient_quota',
    null,
    'insufficient_quota',
  );
}

/** Injected server-side failures (500, 503, 408, 409). */
export function serverFault(status: 500 | 503 | 408 | 409): ApiFailure {
  switch (status) {
    case 500:
      return failure(
        500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
        null,
      );
    case 503:
      return failure(503, 'The server is overloaded or not ready yet.', 'server_error', null, null);
    case 408:
      return failure(408, 'Request timed out.', 'timeout', null, null);
    case 409:
      return failure(409, 'The request conflicted with another request; please retry.', 'conflict', null, null);
  }
}

/** 404 for an unknown route or resource. */
export function notFound(message: string, param: string | null = null): ApiFailure {
  return failure(404, message, 'invalid_request_error', param, null);
}

function maskKey(key: string): string {
  return key.length <= 8 ? `${key.slice(0, 2)}***` : `${key.slice(0, 3)}***${key.slice(-4)}`;
}
