import { type ApiFailure, insufficientQuota, invalidJsonBody, rateLimitReached, serverFault } from './errors';
import { parseJsonObject } from './jsonBody';
import type { TestServerOptions } from './options';
import type { PromptTokenizer } from './tokenizer';
import type { Exchange } from './exchange';
import type { ServerState } from './serverState';

/** How the handler continues after the gate: answer, answer with a broken body, or stop (already answered). */
export type GateResult = 'answer' | 'answerMalformed' | 'handled';

const SCRIPTED_RETRY_MILLISECONDS = 1000;

/**
 * The path every chat and embeddings request takes after validation: quota, scripted 429s, the rate limiter,
 * latency, then injected faults. Whatever is answered here is answered through `exchange`.
 */
export async function passGate(
  state: ServerState,
  exchange: Exchange,
  model: string,
  weight: number,
): Promise<GateResult> {
  const options = state.options();
  exchange.rateLimitModel = model;
  const quotaSpent = options.quotaAfterRequests !== undefined && state.successfulAnswers >= options.quotaAfterRequests;
  if (options.insufficientQuota || quotaSpent) {
    exchange.sendFailure(insufficientQuota());
    return 'handled';
  }
  const plan = state.faults.plan();
  if (plan.kind === 'quota') {
    state.stats.faultInjected('quota');
    exchange.sendFailure(insufficientQuota());
    return 'handled';
  }
  if (plan.kind === 'rateLimited') {
    state.stats.faultInjected('rateLimit');
    const limit = options.rpm ?? 60;
    const failure = rateLimitReached({
      model,
      organization: options.organization,
      kind: 'requests',
      limit,
      used: limit,
      requested: 1,
      retryText: '1s',
    });
    exchange.sendFailure(failure, { 'retry-after-ms': String(SCRIPTED_RETRY_MILLISECONDS), 'retry-after': '1' });
    return 'handled';
  }
  const admission = state.limiter.admit(model, weight);
  if (!admission.admitted) {
    exchange.sendFailure(admission.failure, admission.headers);
    return 'handled';
  }
  if (!(await exchange.pause(state.faults.latencyMilliseconds()))) return 'handled';
  if (plan.kind === 'ok') return 'answer';
  state.stats.faultInjected(plan.fault);
  switch (plan.fault) {
    case 'error500':
      exchange.sendFailure(serverFault(500));
      return 'handled';
    case 'error503':
      exchange.sendFailure(serverFault(503));
      return 'handled';
    case 'error408':
      exchange.sendFailure(serverFault(408));
      return 'handled';
    case 'error409':
      exchange.sendFailure(serverFault(409));
      return 'handled';
    case 'connectionReset':
      exchange.destroyConnection();
      return 'handled';
    case 'slow':
      return (await exchange.pause(options.slowMs)) ? 'answer' : 'handled';
    case 'malformedJson':
      return 'answerMalformed';
  }
}

/**
 * The start every chat and Responses request shares: JSON body, validation by `parse` (its 400/404 answered
 * here), then the gate. Undefined when the exchange was already answered.
 */
export async function admitRequest<T extends { readonly model: string; readonly rateLimitWeight: number }>(
  state: ServerState,
  exchange: Exchange,
  parse: (body: Record<string, unknown>, options: TestServerOptions, tokenizer: PromptTokenizer) => T | ApiFailure,
): Promise<{ request: T; body: Record<string, unknown>; malformed: boolean } | undefined> {
  const body = parseJsonObject(exchange.body);
  if (!body) {
    exchange.sendFailure(invalidJsonBody());
    return undefined;
  }
  const request = parse(body, state.options(), state.tokenizer);
  if ('status' in request) {
    exchange.sendFailure(request);
    return undefined;
  }
  const gate = await passGate(state, exchange, request.model, request.rateLimitWeight);
  return gate === 'handled' ? undefined : { request, body, malformed: gate === 'answerMalformed' };
}
