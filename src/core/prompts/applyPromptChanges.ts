import type { DeclaredParameter } from './declaredParameters';
import type { PromptChange, PromptDefinition } from './promptTypes';

/**
 * The prompt as it will be once `changes` are written to its file: used to price and check a recommendation
 * before anything is edited (the file edits themselves come from `promptChangeEdits`).
 */
export function applyPromptChanges(prompt: PromptDefinition, changes: readonly PromptChange[]): PromptDefinition {
  let result: PromptDefinition = prompt;
  for (const change of changes) {
    switch (change.kind) {
      case 'set-model':
        result = { ...result, model: change.model };
        break;
      case 'set-max-tokens':
        result = { ...result, maxTokens: change.value };
        break;
      case 'remove-parameter':
        result = { ...result, parameters: result.parameters.filter((parameter) => parameter.name !== change.name) };
        break;
      case 'set-parameter': {
        const existing = result.parameters.find((parameter) => parameter.name === change.name);
        const updated: DeclaredParameter = existing
          ? { ...existing, value: change.value }
          : { name: change.name, value: change.value, path: [] };
        result = {
          ...result,
          parameters: [...result.parameters.filter((parameter) => parameter.name !== change.name), updated],
        };
        break;
      }
    }
  }
  return result;
}
