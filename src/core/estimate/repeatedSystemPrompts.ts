import { createHash } from 'node:crypto';
import type { PromptDefinition, PromptDiagnostic, TextSpan } from '../prompts/promptTypes';
import type { TokenCounter } from '../tokens/tokenCounter';
import { formatTokens } from './formatting';

/** System prompts shorter than this are not worth a hint. */
export const LONG_SYSTEM_PROMPT_TOKENS = 200;

export interface SystemPromptFingerprint {
  readonly file: string;
  /** SHA-256 of the system prompt with white space folded. */
  readonly hash: string;
  readonly tokens: number;
  readonly span: TextSpan;
}

/** The fingerprint of a prompt's long system message, or undefined when it has none. */
export function systemPromptFingerprint(
  prompt: PromptDefinition,
  counter: TokenCounter,
): SystemPromptFingerprint | undefined {
  const system = prompt.messages.find((message) => message.role === 'system' || message.role === 'developer');
  if (!system) return undefined;
  const tokens = counter.count(system.content);
  if (tokens < LONG_SYSTEM_PROMPT_TOKENS) return undefined;
  const normalized = system.content.replace(/\s+/g, ' ').trim();
  return {
    file: prompt.file,
    hash: createHash('sha256').update(normalized).digest('hex'),
    tokens,
    span: system.span ?? prompt.span,
  };
}

/** A hint on `own` when the same long system prompt appears in other files. */
export function repeatedSystemPromptHint(
  own: SystemPromptFingerprint,
  all: Iterable<SystemPromptFingerprint>,
  displayName: (file: string) => string = (file) => file,
): PromptDiagnostic | undefined {
  const others = [...all]
    .filter((entry) => entry.hash === own.hash && entry.file !== own.file)
    .map((entry) => displayName(entry.file));
  if (others.length === 0) return undefined;
  const listed = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  return {
    span: own.span,
    severity: 'information',
    code: 'repeated-system-prompt',
    message: `The same ${formatTokens(own.tokens)}-token system prompt is repeated in ${listed}. Keep one copy (a shared file), and keep it first and byte-identical so provider prompt caching bills it at the cached rate.`,
  };
}
