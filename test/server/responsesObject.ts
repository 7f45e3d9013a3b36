import type { ChatAnswer } from './chatAnswer';
import type { ChatRequest } from './chatRequest';
import { newId } from './ids';

/** OpenAI's Responses `usage` object (API_FACTS "Usage shapes"). */
export interface ResponsesUsage {
  readonly input_tokens: number;
  readonly input_tokens_details: { readonly cached_tokens: number };
  readonly output_tokens: number;
  readonly output_tokens_details: { readonly reasoning_tokens: number };
  readonly total_tokens: number;
}

/** The ids and texts one Responses answer is made of, shared by the plain body and the stream. */
export interface ResponsesPlan {
  readonly id: string;
  readonly createdAt: number;
  readonly model: string;
  readonly reasoningItemId: string | undefined;
  readonly messageItemId: string;
  /** The answer text; empty when reasoning used up `max_output_tokens`. */
  readonly text: string;
  /** True when the cap cut the answer: `status: "incomplete"`, `incomplete_details.reason: "max_output_tokens"`. */
  readonly incomplete: boolean;
  readonly usage: ResponsesUsage;
  readonly request: ChatRequest;
  readonly body: Record<string, unknown>;
}

/** The plan for `answer` (its first choice; Responses has no `n`). */
export function planResponse(
  request: ChatRequest,
  body: Record<string, unknown>,
  answer: ChatAnswer,
  createdAt: number,
): ResponsesPlan {
  const choice = answer.choices[0];
  const usage = answer.usage;
  return {
    id: newId('resp_'),
    createdAt,
    model: request.model,
    reasoningItemId: request.effort === undefined ? undefined : newId('rs_'),
    messageItemId: newId('msg_'),
    text: choice?.content ?? '',
    incomplete: choice?.finishReason === 'length',
    usage: {
      input_tokens: usage.prompt_tokens,
      input_tokens_details: { cached_tokens: usage.prompt_tokens_details.cached_tokens },
      output_tokens: usage.completion_tokens,
      output_tokens_details: { reasoning_tokens: usage.completion_tokens_details.reasoning_tokens },
      total_tokens: usage.total_tokens,
    },
    request,
    body,
  };
}

/** The `output_text` content part. */
export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** The assistant message item (`status` "in_progress" while streaming). */
export function messageItem(plan: ResponsesPlan, status: string, text: string | undefined): Record<string, unknown> {
  return {
    id: plan.messageItemId,
    type: 'message',
    status,
    role: 'assistant',
    content: text === undefined ? [] : [outputTextPart(text)],
  };
}

/** The reasoning item (summaries are not simulated). */
export function reasoningItem(plan: ResponsesPlan): Record<string, unknown> | undefined {
  return plan.reasoningItemId === undefined ? undefined : { id: plan.reasoningItemId, type: 'reasoning', summary: [] };
}

/**
 * The `response` object: output items (reasoning, then the message unless reasoning used up the cap, as OpenAI
 * leaves it out then), status, usage (absent while in progress) and the request's settings echoed back.
 */
export function responseObject(plan: ResponsesPlan, phase: 'in_progress' | 'done'): Record<string, unknown> {
  const done = phase === 'done';
  const reasoning = reasoningItem(plan);
  const output = done
    ? [
        ...(reasoning ? [reasoning] : []),
        ...(plan.text === '' && plan.incomplete
          ? []
          : [messageItem(plan, plan.incomplete ? 'incomplete' : 'completed', plan.text)]),
      ]
    : [];
  const body = plan.body;
  return {
    id: plan.id,
    object: 'response',
    created_at: plan.createdAt,
    status: done ? (plan.incomplete ? 'incomplete' : 'completed') : 'in_progress',
    error: null,
    incomplete_details: done && plan.incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    model: plan.model,
    output,
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: null,
    reasoning: { effort: plan.request.effort ?? null, summary: null },
    service_tier: plan.request.serviceTier,
    store: body['store'] ?? true,
    temperature: body['temperature'] ?? 1,
    text: body['text'] ?? { format: { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: body['tools'] ?? [],
    top_p: body['top_p'] ?? 1,
    truncation: 'disabled',
    usage: done ? plan.usage : null,
    user: null,
    metadata: body['metadata'] ?? {},
  };
}
