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
export const PROMPTY_ROLE_LINE =
  /^[ \t]*#?[ \t]*(system|developer|user|assistant|function|tool)[ \t]*(\[[^\]\n]*\])?[ \t]*:[ \t]*\r?$/gim;

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
  const pattern = new RegExp(
    markers === 'lines' ? ROLE_LINE : markers === 'prompty' ? PROMPTY_ROLE_LINE : HANDLEBARS_ROLE,
  );
  const sections: RoleSection[] = [];
  let role: MessageRole = leadingRole;
  let sectionStart = bodyStart;
  let explicit = false;
  pattern.lastIndex = bodyStart;
  const lineFinder = markers === 'handlebars' ? undefined : roleLineFinder(text, pattern);
  const next = (from: number) => (lineFinder ? lineFinder(from) : ((pattern.lastIndex = from), pattern.exec(text)));
  for (let match = next(bodyStart); match; match = next(match.index + match[0].length)) {
    pushSection(sections, text, role, sectionStart, match.index, explicit);
    role = toRole(match[1] ?? 'user');
    explicit = true;
    sectionStart = match.index + match[0].length;
  }
  pushSection(sections, text, role, sectionStart, text.length, explicit);
  return sections;
}

/**
 * Finds the matches of a whole-line role pattern (`^…:…$`, flags `gim`) in `text`: `next(from)` is the first match
 * at or after `from`. Only the lines whose last visible character is `:` are tested, each with the pattern anchored
 * at the line's start: the same matches as `pattern.exec`, without running the pattern over every line of a 100 KB
 * prompt on each keystroke.
 */
export function roleLineFinder(text: string, pattern: RegExp): (from: number) => RegExpExecArray | null {
  if (hasOtherLineBreaks(text)) {
    // The pattern's ^ and $ also see \r, U+2028 and U+2029 as line breaks: let it find its lines itself.
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    return (from) => {
      global.lastIndex = from;
      return global.exec(text);
    };
  }
  const anchored = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
  return (from) => {
    let lineStart = from === 0 || text.charCodeAt(from - 1) === NEW_LINE ? from : text.indexOf('\n', from) + 1;
    if (lineStart === 0 && from !== 0) return null;
    for (;;) {
      const newLine = text.indexOf('\n', lineStart);
      const lineEnd = newLine < 0 ? text.length : newLine;
      let last = lineEnd - 1;
      while (
        last >= lineStart &&
        (text.charCodeAt(last) === SPACE || text.charCodeAt(last) === TAB || text.charCodeAt(last) === RETURN)
      )
        last--;
      if (last >= lineStart && text.charCodeAt(last) === COLON) {
        anchored.lastIndex = lineStart;
        const match = anchored.exec(text);
        if (match) return match;
      }
      if (newLine < 0) return null;
      lineStart = newLine + 1;
    }
  };
}

function hasOtherLineBreaks(text: string): boolean {
  return text.includes('\u2028') || text.includes('\u2029') || (text.includes('\r') && /\r(?!\n)/.test(text));
}

const NEW_LINE = 10;
const SPACE = 32;
const TAB = 9;
const RETURN = 13;
const COLON = 58;

function pushSection(
  sections: RoleSection[],
  text: string,
  role: MessageRole,
  start: number,
  end: number,
  explicit: boolean,
): void {
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
