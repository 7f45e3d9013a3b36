/**
 * VS Code (1.100 and later) gives `*.prompt.md` its own `prompt` language for Copilot's chat prompt files and
 * validates their front matter, which knows `description`, `mode`/`agent`, `model` and `tools` but not Prompt
 * Meter's keys: a Prompt Meter file opened there fills the Problems view with errors that are not ours. These
 * helpers decide when to offer opening such files as Markdown, and with which `files.associations` pattern.
 */

/** Front matter keys that only Prompt Meter's `.prompt.md` uses (a chat prompt file has none of them). */
const PROMPT_METER_KEY = /^(?:max_tokens|temperature|variables|task|data|chunk)[ \t]*:/m;

/** True when the text opens with front matter that names at least one Prompt Meter key. */
export function usesPromptMeterFrontMatter(text: string): boolean {
  if (!/^---[ \t]*\r?\n/.test(text)) return false;
  const end = text.indexOf('\n---', 3);
  return PROMPT_METER_KEY.test(end < 0 ? text.slice(0, 8192) : text.slice(0, end));
}

/** True for paths where VS Code looks for chat prompt files (`.github/…`): those are Copilot's, left alone. */
export function isChatPromptLocation(relativePath: string): boolean {
  return /(?:^|\/)\.github\//.test(relativePath.replace(/\\/g, '/'));
}

/**
 * The `files.associations` pattern that opens the `.prompt.md` files of `relativePath`'s folder (and below) as
 * Markdown; a file at the workspace root gets a pattern for itself only, so other folders keep VS Code's default.
 */
export function markdownAssociationPattern(relativePath: string): string {
  const normalized = relativePath.replace(/\\/g, '/');
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? `**/${normalized}` : `**/${normalized.slice(0, slash)}/**/*.prompt.md`;
}

/** Keys of VS Code's chat prompt-file front matter (code.visualstudio.com/docs/copilot/customization/prompt-files). */
const COPILOT_KEYS: ReadonlySet<string> = new Set([
  'description',
  'mode',
  'agent',
  'tools',
  'model',
  'name',
  'argument-hint',
]);
/** Keys that say "this is a Copilot prompt file" on their own (a lone `model:` does not). */
const COPILOT_ONLY_KEYS = ['description', 'mode', 'agent', 'tools'];

/**
 * True for a VS Code Copilot prompt file: under `.github/prompts/`, or a `.prompt.md` whose front matter has only
 * Copilot keys and at least one of `description`, `mode`, `agent`, `tools`. Such a file is context added to a chat,
 * not an API request: it gets tokens, not a price or request hints. A `.prompt.md` with any Prompt Meter key
 * (max_tokens, variables, …) stays a Prompt Meter prompt.
 */
export function isCopilotPromptFile(
  relativePath: string,
  frontMatter: Readonly<Record<string, unknown>> | undefined,
): boolean {
  const keys = Object.keys(frontMatter ?? {});
  if (/(?:^|\/)\.github\/prompts\//.test(relativePath.replace(/\\/g, '/')))
    return keys.every((key) => COPILOT_KEYS.has(key));
  return (
    keys.length > 0 && keys.every((key) => COPILOT_KEYS.has(key)) && COPILOT_ONLY_KEYS.some((key) => keys.includes(key))
  );
}
