import type { TaskKind } from '../prompts/promptTypes';
import { canonicalJson } from '../cache/canonicalJson';

/** How an answer is compared with the reference model's answer when the prompt has no evaluators. */
export type AgreementKind = 'exact' | 'json' | 'similarity';

/** Tasks whose answer is a label or a value: compared exactly after normalising. */
const EXACT_TASKS: ReadonlySet<TaskKind> = new Set(['classify', 'extract']);

/** Lower case, whitespace collapsed, surrounding quotes/backticks and trailing punctuation removed. */
export function normaliseAnswer(text: string): string {
  return text
    .trim()
    .replace(/^```\w*\s*|\s*```$/g, '')
    .replace(/^["'`*\s]+|["'`*\s.!,;:]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The answer as a JSON object, or undefined (code fences allowed around it). */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const inner = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  if (!inner.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(inner);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** JSON when the reference answer is a JSON object; exact for classify/extract; otherwise embedding similarity. */
export function agreementKind(task: TaskKind, referenceText: string): AgreementKind {
  if (parseJsonObject(referenceText)) return 'json';
  return EXACT_TASKS.has(task) ? 'exact' : 'similarity';
}

/** Exact agreement after {@link normaliseAnswer}. */
export function exactAgreement(reference: string, answer: string): { passed: boolean; detail: string } {
  const passed = normaliseAnswer(reference) === normaliseAnswer(answer);
  return {
    passed,
    detail: passed
      ? 'same answer'
      : `"${normaliseAnswer(answer).slice(0, 40)}" ≠ "${normaliseAnswer(reference).slice(0, 40)}"`,
  };
}

/**
 * Field-by-field agreement of two JSON objects: every field of the reference present with the same value (strings
 * compared normalised, other values as canonical JSON). Extra fields in the answer do not fail it.
 */
export function jsonAgreement(reference: string, answer: string): { passed: boolean; detail: string } {
  const expected = parseJsonObject(reference);
  const actual = parseJsonObject(answer);
  if (!expected) return { passed: false, detail: 'reference is not a JSON object' };
  if (!actual) return { passed: false, detail: 'not a JSON object' };
  const fields = Object.keys(expected);
  const differing = fields.filter((field) => !sameValue(expected[field], actual[field]));
  return {
    passed: differing.length === 0,
    detail: `${fields.length - differing.length}/${fields.length} fields agree${differing.length ? ` (differ: ${differing.slice(0, 3).join(', ')})` : ''}`,
  };
}

function sameValue(left: unknown, right: unknown): boolean {
  if (typeof left === 'string' && typeof right === 'string') return normaliseAnswer(left) === normaliseAnswer(right);
  return canonicalJson(left ?? null) === canonicalJson(right ?? null);
}
