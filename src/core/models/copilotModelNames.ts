import { findCatalogModel } from './findModel';

/**
 * VS Code writes a Copilot prompt file's `model:` as the model picker shows it ("GPT-5 mini (copilot)",
 * "GPT-4o", "Claude Sonnet 4 (copilot)"). Display names whose catalog id is not their lower-cased, hyphenated
 * form; the others are found by that rule.
 */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'gpt-4o mini': 'gpt-4o-mini',
  'gpt-4.1 mini': 'gpt-4.1-mini',
  'gpt-4.1 nano': 'gpt-4.1-nano',
  'gpt-5 mini': 'gpt-5-mini',
  'gpt-5 nano': 'gpt-5-nano',
  'gpt-4 turbo': 'gpt-4-turbo',
};

/**
 * The catalog id of a model named as VS Code's model picker names it, or undefined when the catalog has no such
 * model (Claude, Gemini, …: the file's tokens are then counted with the default model's tokenizer).
 */
export function copilotModelId(displayName: string): string | undefined {
  const name = displayName
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim()
    .toLowerCase();
  const id = DISPLAY_NAMES[name] ?? name.replace(/\s+/g, '-');
  return findCatalogModel(id)?.id;
}
