import type { PromptChange } from '../prompts/promptTypes';

/** One change as a few words (`reasoning_effort minimal`, `max tokens 16`, `drops temperature`), as every front end shows it. */
export function changeText(change: PromptChange): string {
  switch (change.kind) {
    case 'set-model':
      return `model ${change.model}`;
    case 'set-max-tokens':
      return `max tokens ${change.value}`;
    case 'remove-parameter':
      return `drops ${change.name}`;
    case 'set-parameter':
      return `${change.name} ${String(change.value)}`;
  }
}

/** The edits a switch writes besides the model itself, as words ('' when it writes only the model). */
export function editsText(changes: readonly PromptChange[]): string {
  return changes
    .filter((change) => change.kind !== 'set-model')
    .map(changeText)
    .join(', ');
}
