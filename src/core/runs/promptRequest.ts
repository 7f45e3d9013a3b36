import { resolveModel } from '../models/resolveModel';
import type { PriceOverrides } from '../pricing/priceOverride';
import type { PromptDefinition } from '../prompts/promptTypes';
import { parameterBody } from '../prompts/declaredParameters';
import { renderPromptMessages } from '../prompts/templatePrompt';

/** A chat completions body as sent (JSON-serialisable; the SDK's type is structurally compatible). */
export interface ChatRequestBody {
  model: string;
  messages: Array<{ role: string; content: string; name?: string }>;
  max_tokens?: number;
  max_completion_tokens?: number;
  n?: number;
  tools?: Array<{ type: 'function'; function: unknown }>;
  /** Every other declared parameter (temperature, response_format, seed, reasoning_effort, …), as written. */
  [parameter: string]: unknown;
}

export interface EmbeddingRequestBody {
  model: string;
  input: string | string[];
}

export type RequestBody = ChatRequestBody | EmbeddingRequestBody;

/**
 * The request a prompt sends on `model`, with variables filled from `values` (dataset row) over the file's
 * sample values, carrying every API parameter the prompt declares. Reasoning models get `max_completion_tokens`
 * (they reject `max_tokens`).
 */
export function promptRequest(
  prompt: PromptDefinition,
  model: string,
  values?: Readonly<Record<string, unknown>>,
  overrides: PriceOverrides = {},
): RequestBody {
  if (prompt.rawBody) return { ...(prompt.rawBody as unknown as RequestBody), model };
  if (prompt.kind === 'embedding') {
    const input = prompt.embeddingInputs.length === 1 ? prompt.embeddingInputs[0]! : [...prompt.embeddingInputs];
    return { model, input };
  }
  const body: ChatRequestBody = {
    model,
    messages: renderPromptMessages(prompt, values),
    ...parameterBody(prompt.parameters),
  };
  if (prompt.maxTokens !== undefined) {
    if (resolveModel(model, overrides).reasoning) body.max_completion_tokens = prompt.maxTokens;
    else body.max_tokens = prompt.maxTokens;
  }
  if (prompt.choices > 1) body.n = prompt.choices;
  if (prompt.tools.length > 0) body.tools = prompt.tools.map((tool) => ({ type: 'function' as const, function: tool }));
  return body;
}
