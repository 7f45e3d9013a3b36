import type { TokenCounter } from './tokenCounter';

/** Tokens OpenAI adds around every chat message (`<|start|>role…<|message|>…<|end|>`). */
export const TOKENS_PER_MESSAGE = 3;
/** Extra token when a message carries a `name`. */
export const TOKENS_PER_NAME = 1;
/** Tokens that prime the assistant's reply (`<|start|>assistant<|message|>`). */
export const REPLY_PRIMING_TOKENS = 3;

export interface FramedMessage {
  readonly role: string;
  readonly content: string;
  readonly name?: string;
}

/** A function tool as sent in `tools: [{ type: 'function', function }]`. */
export interface FunctionDefinition {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: {
    readonly properties?: Record<string, { type?: string | string[]; description?: string; enum?: unknown[] }>;
  };
}

export interface ChatTokenCount {
  readonly total: number;
  /** Content tokens of each message, in order (without framing). */
  readonly perMessage: readonly number[];
  /** Framing: per-message overhead, role and name tokens, and reply priming. */
  readonly framing: number;
  readonly tools: number;
}

/**
 * Counts a chat request the way OpenAI bills it (OpenAI cookbook "How to count tokens with tiktoken"):
 * 3 tokens per message + role + content (+1 and the name when `name` is set), +3 reply priming, plus tool
 * definitions.
 */
export function countChatTokens(
  counter: TokenCounter,
  messages: readonly FramedMessage[],
  tools: readonly FunctionDefinition[] = [],
  family: 'o200k' | 'cl100k' = counter.encoding === 'cl100k_base' ? 'cl100k' : 'o200k',
): ChatTokenCount {
  let framing = REPLY_PRIMING_TOKENS;
  const perMessage: number[] = [];
  for (const message of messages) {
    framing += TOKENS_PER_MESSAGE + counter.count(message.role);
    if (message.name !== undefined) framing += TOKENS_PER_NAME + counter.count(message.name);
    perMessage.push(counter.count(message.content));
  }
  const toolTokens = countToolTokens(counter, tools, family);
  const content = perMessage.reduce((sum, value) => sum + value, 0);
  return { total: content + framing + toolTokens, perMessage, framing, tools: toolTokens };
}

/** Tool-definition tokens, after the cookbook's `num_tokens_for_tools` (constants differ by model family). */
export function countToolTokens(
  counter: TokenCounter,
  tools: readonly FunctionDefinition[],
  family: 'o200k' | 'cl100k',
): number {
  if (tools.length === 0) return 0;
  const functionStart = family === 'o200k' ? 7 : 10;
  const propertiesStart = 3;
  const propertyKey = 3;
  const enumStart = -3;
  const enumItem = 3;
  const functionsEnd = 12;
  let total = 0;
  for (const tool of tools) {
    total += functionStart;
    total += counter.count(`${tool.name}:${stripFinalPeriod(tool.description ?? '')}`);
    const properties = Object.entries(tool.parameters?.properties ?? {});
    if (properties.length > 0) {
      total += propertiesStart;
      for (const [key, property] of properties) {
        total += propertyKey;
        if (Array.isArray(property.enum)) {
          total += enumStart;
          for (const item of property.enum) total += enumItem + counter.count(String(item));
        }
        const type = Array.isArray(property.type) ? property.type.join(',') : (property.type ?? '');
        total += counter.count(`${key}:${type}:${stripFinalPeriod(property.description ?? '')}`);
      }
    }
  }
  return total + functionsEnd;
}

function stripFinalPeriod(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}
