import { countChatTokens } from '../tokens/chatFraming';
import type { TokenCounter } from '../tokens/tokenCounter';

/** A chat message of a map or reduce call. */
export interface MapReduceMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

/** Between two partial answers in a reduce prompt's `{{partials}}`. */
export const PARTIAL_SEPARATOR = '\n\n---\n\n';

/**
 * Tokens added to each partial's own count when bounding a reduce call's input: token counts of joined texts
 * are not exactly additive (a merge can shift at a seam), so each seam gets one token of margin.
 */
export const PARTIAL_SLACK_TOKENS = 1;

function placeholderPattern(name: string): RegExp {
  return new RegExp(String.raw`\{\{\s*${name}\s*\}\}`, 'g');
}

export function hasPlaceholder(template: string, name: string): boolean {
  return placeholderPattern(name).test(template);
}

/** Replaces every `{{name}}` with `value`; without a placeholder, appends the value after a blank line. */
export function fillTemplate(template: string, name: string, value: string): string {
  if (!hasPlaceholder(template, name)) return `${template}\n\n${value}`;
  return template.replace(placeholderPattern(name), () => value);
}

function withSystem(systemPrompt: string | undefined, user: string): MapReduceMessage[] {
  const messages: MapReduceMessage[] = [];
  if (systemPrompt !== undefined && systemPrompt !== '') messages.push({ role: 'system', content: systemPrompt });
  messages.push({ role: 'user', content: user });
  return messages;
}

/** The messages of the map call for one chunk: optional system prompt, then the map prompt with `{{chunk}}` filled. */
export function mapMessages(template: string, chunkText: string, systemPrompt?: string): MapReduceMessage[] {
  return withSystem(systemPrompt, fillTemplate(template, 'chunk', chunkText));
}

/** The messages of one reduce call: the reduce prompt with `{{partials}}` = the partials joined by PARTIAL_SEPARATOR. */
export function reduceMessages(
  template: string,
  partials: readonly string[],
  systemPrompt?: string,
): MapReduceMessage[] {
  return withSystem(systemPrompt, fillTemplate(template, 'partials', partials.join(PARTIAL_SEPARATOR)));
}

/** What bounds the input of one reduce call. All values are tokens. */
export interface ReduceBudget {
  /** Input of a reduce call with no partials: chat framing, system prompt and reduce prompt. */
  readonly baseTokens: number;
  /** Tokens of one PARTIAL_SEPARATOR. */
  readonly separatorTokens: number;
  /** Margin per partial (PARTIAL_SLACK_TOKENS). */
  readonly slackTokens: number;
  /**
   * Most input tokens of one reduce call: the smaller of (context window − reduce max_tokens) and the
   * reduce input budget. Undefined when neither is known: then every partial goes into one call.
   */
  readonly limit: number | undefined;
}

export function reduceBudget(
  counter: TokenCounter,
  template: string,
  systemPrompt: string | undefined,
  limit: number | undefined,
): ReduceBudget {
  return {
    baseTokens: countChatTokens(counter, reduceMessages(template, [], systemPrompt)).total,
    separatorTokens: counter.count(PARTIAL_SEPARATOR),
    slackTokens: PARTIAL_SLACK_TOKENS,
    limit,
  };
}

/**
 * Upper bound of a reduce call's input tokens for partials of these token counts:
 * base + Σ (size + slack) + (count − 1) × separator.
 */
export function reduceInputBound(budget: ReduceBudget, sizes: readonly number[]): number {
  let total = budget.baseTokens;
  sizes.forEach((size, index) => {
    total += size + budget.slackTokens + (index > 0 ? budget.separatorTokens : 0);
  });
  return total;
}

/**
 * Groups partials (by their token counts, in order) into reduce calls: greedily, each group as large as
 * the limit allows, order kept. A group of one partial may still exceed the limit; callers check.
 * Returns the partial indexes of each group.
 */
export function groupPartials(sizes: readonly number[], budget: ReduceBudget): number[][] {
  const groups: number[][] = [];
  let group: number[] = [];
  let groupTotal = budget.baseTokens;
  sizes.forEach((size, index) => {
    const added = size + budget.slackTokens + (group.length > 0 ? budget.separatorTokens : 0);
    if (group.length > 0 && budget.limit !== undefined && groupTotal + added > budget.limit) {
      groups.push(group);
      group = [];
      groupTotal = budget.baseTokens;
      groupTotal += size + budget.slackTokens;
    } else {
      groupTotal += added;
    }
    group.push(index);
  });
  if (group.length > 0) groups.push(group);
  return groups;
}
