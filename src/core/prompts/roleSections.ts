import type { MessageRole } from './promptTypes';

export interface RoleSection {
  readonly role: MessageRole;
  /** Section text, trimmed of surrounding white space (as it is sent). */
  readonly text: string;
  /** File offsets of the trimmed text. */
  readonly start: number;
  readonly end: number;
}

const ROLE_LINE = /^[ \t]*(system|developer|user|assistant)[ \t]*:[ \t]*\r?$/gim;
const HANDLEBARS_ROLE = /\{\{\s*role\s+["'](system|developer|user|assistant|model)["']\s*\}\}/gi;
/**
 * Prompty's role lines (microsoft/prompty runtime chat parser): `role:` alone on a line, optionally `# role:` and
 * attributes `user[name="Alice"]:`; `function` is the old name of `tool`.
 */
export const PROMPTY_ROLE_LINE = /^[ \t]*#?[ \t]*(system|developer|user|assistant|function|tool)[ \t]*(\[[^\]\n]*\])?[ \t]*:[ \t]*\r?$/gim;

/**
 * Splits a prompt body into role sections. `lines`: a line that is exactly `system:` / `user:` /
 * `assistant:` starts a section (Prompty and `.prompt.md`). `handlebars`: `{{role "system"}}` markers
 * (Dotprompt). Text before the first marker gets `leadingRole`.
 */
export function splitRoleSections(
  text: string,
  bodyStart: number,
  markers: 'lines' | 'prompty' | 'handlebars',
  leadingRole: MessageRole,
): RoleSection[] {
  const pattern = new RegExp(markers === 'lines' ? ROLE_LINE : markers === 'prompty' ? PROMPTY_ROLE_LINE : HANDLEBARS_ROLE);
  const sections: RoleSection[] = [];
  let role: MessageRole = leadingRole;
  let sectionStart = bodyStart;
  let explicit = false;
  pattern.lastIndex = bodyStart;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    pushSection(sections, text, role, sectionStart, match.index, explicit);
    role = toRole(match[1] ?? 'user');
    explicit = true;
    sectionStart = match.index + match[0].length;
  }
  pushSection(sections, text, role, sectionStart, text.length, explicit);
  return sections;
}

function pushSection(sections: RoleSection[], text: string, role: MessageRole, start: number, end: number, explicit: boolean): void {
  let trimmedStart = start;
  let trimmedEnd = end;
  while (trimmedStart < trimmedEnd && /\s/.test(text[trimmedStart] ?? '')) trimmedStart++;
  while (trimmedEnd > trimmedStart && /\s/.test(text[trimmedEnd - 1] ?? '')) trimmedEnd--;
  // An empty implicit section (nothing before the first marker) is not a message; an empty explicit one is.
  if (trimmedStart === trimmedEnd && !explicit) return;
  sections.push({ role, text: text.slice(trimmedStart, trimmedEnd), start: trimmedStart, end: trimmedEnd });
}

function toRole(name: string): MessageRole {
  const lower = name.toLowerCase();
  if (lower === 'model') return 'assistant';
  if (lower === 'function') return 'tool';
  return lower as MessageRole;
}
