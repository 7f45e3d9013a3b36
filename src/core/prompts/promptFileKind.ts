import type { PromptFormat } from './promptTypes';

/**
 * Which format a file is, from its path (relative to the workspace, `/`-separated). Plain `.md` / `.txt`
 * count only under the configured prompt folders; `.jsonl` only when it looks like Batch API input.
 */
export function promptFormatFor(
  relativePath: string,
  promptFolders: readonly string[],
  firstLines?: string,
): PromptFormat | undefined {
  const lower = relativePath.toLowerCase();
  if (lower.endsWith('.prompt.md')) return 'prompt-markdown';
  if (lower.endsWith('.prompty')) return 'prompty';
  if (lower.endsWith('.prompt.yml') || lower.endsWith('.prompt.yaml')) return 'github-models';
  // Dotprompt partials (`_name.prompt`) are parts of other prompts, never sent on their own.
  if (lower.endsWith('.prompt')) return isDotpromptPartial(lower) ? undefined : 'dotprompt';
  if (lower.endsWith('.jsonl')) {
    if (lower.endsWith('.batch.jsonl') || firstLines === undefined || looksLikeBatchInput(firstLines))
      return 'batch-jsonl';
    return undefined;
  }
  if ((lower.endsWith('.md') || lower.endsWith('.txt')) && isUnderPromptFolder(relativePath, promptFolders))
    return 'plain-text';
  return undefined;
}

/** `_style.prompt`: a Dotprompt partial (Dotprompt's directory store names partials with a leading underscore). */
export function isDotpromptPartial(relativePath: string): boolean {
  const name = relativePath.replace(/\\/g, '/').split('/').pop() ?? '';
  return name.startsWith('_') && name.toLowerCase().endsWith('.prompt');
}

/** True when one of the first lines is a Batch request (`custom_id`). */
export function looksLikeBatchInput(firstLines: string): boolean {
  return firstLines.split('\n', 5).some((line) => line.includes('"custom_id"'));
}

/** `prompts` matches a top-level folder; `**​/prompts` any folder named prompts; `*` one path segment. */
export function isUnderPromptFolder(relativePath: string, promptFolders: readonly string[]): boolean {
  const parts = relativePath.replace(/\\/g, '/').split('/').slice(0, -1);
  const ancestors: string[] = [];
  for (let index = 1; index <= parts.length; index++) ancestors.push(parts.slice(0, index).join('/'));
  return promptFolders.some((folder) => {
    const pattern = folderPattern(folder);
    return ancestors.some((ancestor) => pattern.test(ancestor));
  });
}

function folderPattern(folder: string): RegExp {
  const trimmed = folder.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let index = 0; index < trimmed.length; index++) {
    const character = trimmed[index] ?? '';
    if (trimmed.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (trimmed.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (character === '*') source += '[^/]*';
    else source += character.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
