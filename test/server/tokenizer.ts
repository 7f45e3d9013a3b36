import { LRUCache } from 'lru-cache';
import { get_encoding, type Tiktoken } from 'tiktoken';

/** A chat message reduced to the text that is billed. */
export interface BilledMessage {
  readonly role: string;
  readonly content: string;
  readonly name?: string;
}

/** A function tool as sent in `tools: [{ type: 'function', function }]`. */
export interface ToolFunction {
  readonly name?: string;
  readonly description?: string;
  readonly parameters?: {
    readonly properties?: Record<string, { type?: unknown; description?: unknown; enum?: unknown }>;
  };
}

/** Stands for a framing token (`<|start|>`, `<|message|>`, `<|end|>`) in prompt sequences. */
const FRAMING_TOKEN = -1;

/**
 * o200k_base token counting the way OpenAI bills chat prompts: every message costs 3 framing tokens + role +
 * content (+1 + name when named), the reply is primed with 3 more, and tools follow the OpenAI cookbook formula.
 * Special-token strings such as `<|endoftext|>` are ordinary text. Owns WASM memory: call `dispose()`.
 */
export class PromptTokenizer {
  private readonly encoding: Tiktoken = get_encoding('o200k_base');
  /** Benchmarks repeat system prompts and answers; WASM encoding dominates the server's CPU otherwise. */
  private readonly encoded = new LRUCache<string, Uint32Array>({
    maxSize: 8_000_000,
    sizeCalculation: (_tokens, text) => Math.max(1, text.length),
  });

  /** Tokens of plain text. */
  encode(text: string): number[] {
    return Array.from(this.encodeCached(text));
  }

  /** Number of tokens of plain text. */
  count(text: string): number {
    return this.encodeCached(text).length;
  }

  /** Text of tokens (lossy only for byte sequences cut inside a character). */
  decode(tokens: readonly number[]): string {
    return new TextDecoder().decode(this.encoding.decode(Uint32Array.from(tokens)));
  }

  /**
   * The billed prompt as a token sequence (framing tokens included as placeholders), so its length is the
   * prompt token count and a shared prefix between two requests is a shared cacheable prefix.
   */
  chatPromptSequence(messages: readonly BilledMessage[], tools: readonly ToolFunction[]): number[] {
    // Tools come first: OpenAI's cacheable prefix starts with them.
    const sequence: number[] = new Array<number>(this.countTools(tools)).fill(FRAMING_TOKEN);
    for (const message of messages) {
      sequence.push(FRAMING_TOKEN, ...this.encode(message.role));
      if (message.name !== undefined) sequence.push(FRAMING_TOKEN, ...this.encode(message.name));
      sequence.push(FRAMING_TOKEN);
      // A loop, not spread: a long prompt would overflow the argument limit.
      for (const token of this.encodeCached(message.content)) sequence.push(token);
      sequence.push(FRAMING_TOKEN);
    }
    sequence.push(FRAMING_TOKEN, FRAMING_TOKEN, FRAMING_TOKEN);
    return sequence;
  }

  /** Tool-definition tokens after the cookbook's `num_tokens_for_tools` (o200k constants). */
  countTools(tools: readonly ToolFunction[]): number {
    if (tools.length === 0) return 0;
    let total = 12;
    for (const tool of tools) {
      total += 7 + this.count(`${tool.name ?? ''}:${withoutFinalPeriod(tool.description)}`);
      const properties = Object.entries(tool.parameters?.properties ?? {});
      if (properties.length > 0) total += 3;
      for (const [key, property] of properties) {
        total += 3;
        if (Array.isArray(property.enum)) {
          total -= 3;
          for (const item of property.enum) total += 3 + this.count(String(item));
        }
        const type = Array.isArray(property.type) ? property.type.join(',') : String(property.type ?? '');
        total += this.count(`${key}:${type}:${withoutFinalPeriod(property.description)}`);
      }
    }
    return total;
  }

  /** Frees the WASM encoder; the tokenizer is unusable afterwards. */
  dispose(): void {
    this.encoded.clear();
    this.encoding.free();
  }

  private encodeCached(text: string): Uint32Array {
    let tokens = this.encoded.get(text);
    if (tokens === undefined) {
      tokens = this.encoding.encode(text, [], []);
      this.encoded.set(text, tokens);
    }
    return tokens;
  }
}

function withoutFinalPeriod(text: unknown): string {
  const value = typeof text === 'string' ? text : '';
  return value.endsWith('.') ? value.slice(0, -1) : value;
}
