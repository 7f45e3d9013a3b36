import type { LineIndex } from '../prompts/lineIndex';
import type { PromptDefinition, PromptDiagnostic, TextSpan } from '../prompts/promptTypes';
import type { TokenCounter } from '../tokens/tokenCounter';
import { formatTokens, formatUsd } from './formatting';
import type { PromptEstimate } from './promptEstimate';
import { requestHints } from './requestHints';
import { suggestedMaxTokens } from './taskProfile';

/** Provider prompt caching only applies to identical prefixes of at least this many tokens. */
export const PROMPT_CACHE_MINIMUM_TOKENS = 1024;
const SPECIAL_TOKEN_TEXT = /<\|[a-z_]+\|>/i;

/**
 * Advice for one estimated prompt, as diagnostics with quick fixes: unbounded output, context overflow,
 * variables that defeat prompt caching, a cheaper adequate model, unknown model or price, special-token text.
 */
export function promptHints(estimate: PromptEstimate, counter: TokenCounter, lines: LineIndex): PromptDiagnostic[] {
  if (estimate.prompt.copilot) return [];
  const { prompt } = estimate;
  const hints: PromptDiagnostic[] = [...requestHints(estimate), ...schemaHints(estimate, counter)];
  const at = prompt.modelSpan ?? prompt.span;
  if (!estimate.modelKnown && !estimate.price) {
    hints.push({
      span: at,
      severity: 'warning',
      code: 'unknown-model',
      message: `Unknown model "${estimate.model}": price unknown — add an override in promptmeter.pricing.overrides. Tokens are counted with ${estimate.encoding} (approximate).`,
    });
  } else if (!estimate.price) {
    hints.push({
      span: at,
      severity: 'information',
      code: 'unknown-price',
      message: `No price for "${estimate.model}" in the bundled data: price unknown — add an override in promptmeter.pricing.overrides.`,
    });
  }
  if (prompt.kind === 'chat' && prompt.maxTokens === undefined && prompt.format !== 'plain-text') {
    const userTokens = estimate.breakdown.messages
      .filter((message) => message.role === 'user')
      .reduce((sum, message) => sum + message.tokens, 0);
    const value = suggestedMaxTokens(estimate.task, userTokens);
    const bound =
      estimate.outputBound === 'model-maximum' && estimate.cost
        ? ` — up to ${formatTokens(estimate.outputTokens)} output tokens (${formatUsd(estimate.cost.outputMax)}) on ${estimate.model}`
        : '';
    hints.push({
      span: prompt.span,
      severity: 'warning',
      code: 'missing-max-tokens',
      message: `No max_tokens: output cost is unbounded${bound}. Add max_tokens (${value} fits a ${estimate.task} task).`,
      fix: { kind: 'set-max-tokens', value, title: `Add max_tokens: ${value}` },
    });
  }
  if (estimate.exceedsContext && estimate.contextWindow !== undefined) {
    hints.push({
      span: prompt.span,
      severity: 'error',
      code: 'context-exceeded',
      message: `This prompt needs ${formatTokens(estimate.contextTokens)} tokens (input + max_tokens), more than ${estimate.model}'s context window of ${formatTokens(estimate.contextWindow)}. The API will reject it: shorten it, split the document (map-reduce), or use a model with a larger window.`,
      fix: estimate.recommendation
        ? {
            kind: 'set-model',
            model: estimate.recommendation.model,
            title: `Switch to ${estimate.recommendation.model}`,
          }
        : undefined,
    });
  }
  const cacheHint = cacheUnfriendlyVariable(estimate, counter, lines);
  if (cacheHint) hints.push(cacheHint);
  if (estimate.recommendation && estimate.cost) {
    const recommendation = estimate.recommendation;
    hints.push({
      span: at,
      severity: 'hint',
      code: 'cheaper-model',
      message: `${recommendation.model} fits this ${estimate.task} task for ${formatUsd(recommendation.cost.total)} instead of ${formatUsd(estimate.cost.total)} per call (estimate at the output bound, saves ${Math.round(recommendation.savingFraction * 100)}%)${recommendation.changes.length > 1 ? `: ${recommendation.summary}` : ''}.`,
      fix: {
        kind: 'change',
        changes: recommendation.changes,
        title: `Switch to ${recommendation.model} (saves ${Math.round(recommendation.savingFraction * 100)}%)`,
      },
    });
  }
  for (const problem of estimate.documentProblems ?? []) {
    hints.push({ span: prompt.span, severity: 'warning', code: 'document-problem', message: problem });
  }
  if (estimate.mapReduce)
    hints.push({ span: prompt.span, severity: 'information', code: 'map-reduce', message: mapReduceMessage(estimate) });
  const special = prompt.messages.find((message) => SPECIAL_TOKEN_TEXT.test(message.content));
  if (special) {
    hints.push({
      span: special.span ?? prompt.span,
      severity: 'information',
      code: 'special-token-text',
      message: `This prompt contains ${SPECIAL_TOKEN_TEXT.exec(special.content)?.[0]}: it is counted (and sent) as ordinary text, not as a special token.`,
    });
  }
  return hints;
}

/**
 * A Structured Outputs schema is sent with the request and billed as input, but OpenAI publishes no recipe for how
 * it is framed: say so, with the schema's own size, instead of silently leaving it out.
 */
function schemaHints(estimate: PromptEstimate, counter: TokenCounter): PromptDiagnostic[] {
  const format = estimate.prompt.parameters.find((parameter) => parameter.name === 'response_format');
  const value = format?.value as { type?: unknown; json_schema?: unknown } | undefined;
  if (!format || !value || value.type !== 'json_schema' || value.json_schema === undefined) return [];
  const tokens = counter.count(JSON.stringify(value.json_schema));
  return [
    {
      span: format.span ?? estimate.prompt.span,
      severity: 'information',
      code: 'schema-not-counted',
      message: `The json_schema (~${formatTokens(tokens)} tokens as JSON) is sent with every call and billed as input; it is not included in the input estimate above (OpenAI does not publish how it is counted).`,
    },
  ];
}

/** A variable placed before ≥1,024 tokens of static text keeps that text out of the provider's prompt cache. */
function cacheUnfriendlyVariable(
  estimate: PromptEstimate,
  counter: TokenCounter,
  lines: LineIndex,
): PromptDiagnostic | undefined {
  const messages = estimate.prompt.messages;
  const firstIndex = messages.findIndex((message) => message.insertions.length > 0);
  if (firstIndex < 0) return undefined;
  const first = messages[firstIndex];
  const insertion = first?.insertions[0];
  if (!first || !insertion) return undefined;
  let staticText = withoutInsertions(first.content, first.insertions, insertion.offset);
  for (const message of messages.slice(firstIndex + 1))
    staticText += withoutInsertions(message.content, message.insertions, 0);
  const staticTokens = counter.count(staticText);
  if (staticTokens < PROMPT_CACHE_MINIMUM_TOKENS) return undefined;
  const rates = estimate.price?.rates;
  const money =
    rates?.cachedInput !== undefined
      ? ` (${formatUsd((staticTokens * rates.input) / 1e6)} instead of ${formatUsd((staticTokens * rates.cachedInput) / 1e6)} per call on ${estimate.model})`
      : '';
  return {
    span: placeholderSpan(first.span, insertion.name, lines) ?? first.span ?? estimate.prompt.span,
    severity: 'information',
    code: 'cache-unfriendly-variable',
    message: `{{${insertion.name}}} comes before ${formatTokens(staticTokens)} tokens of static text. Provider prompt caching reuses only an identical prefix, so that text is billed at the full input rate on every call${money}. Move the static instructions before the first variable.`,
  };
}

function withoutInsertions(
  content: string,
  insertions: PromptDefinition['messages'][number]['insertions'],
  from: number,
): string {
  let text = '';
  let position = from;
  for (const insertion of insertions) {
    if (insertion.offset < from) continue;
    text += content.slice(position, insertion.offset);
    position = insertion.offset + insertion.length;
  }
  return text + content.slice(position);
}

function placeholderSpan(messageSpan: TextSpan | undefined, name: string, lines: LineIndex): TextSpan | undefined {
  if (!messageSpan) return undefined;
  const start = lines.offsetOfLine(messageSpan.start.line) + messageSpan.start.character;
  const match = new RegExp(`\\{\\{\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`).exec(
    lines.text.slice(start),
  );
  return match ? lines.span(start + match.index, start + match.index + match[0].length) : undefined;
}

/** Map-reduce next to one call with the whole document, in one honest paragraph. */
export function mapReduceMessage(estimate: PromptEstimate): string {
  const mapReduce = estimate.mapReduce!;
  const { plan, comparison } = mapReduce;
  const cost = plan.cost
    ? `${formatUsd(plan.cost.total)} (Batch API ${formatUsd(plan.cost.batchTotal)})`
    : 'price unknown';
  const single = comparison.singleCall
    ? ` One call with the whole document on ${comparison.singleCall.model}: ${formatUsd(comparison.singleCall.cost.total)}.`
    : ' No priced model holds the whole document in one call.';
  return `Map-reduce (estimate, output at caps): ${formatTokens(mapReduce.documentTokens)}-token document in ${plan.map.calls} chunks → ${plan.totalCalls} calls on ${plan.map.model}${plan.map.model === estimate.model ? '' : ` / ${estimate.model}`}, ${cost}.${single} ${comparison.summary}`;
}
