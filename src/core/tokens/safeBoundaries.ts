/**
 * Splits text into pieces whose token counts add up exactly to the count of the whole text.
 *
 * Why it is exact: tiktoken first cuts text with its pre-tokenizer regex and runs BPE inside each regex
 * piece only. We cut only where no regex piece of o200k_base or cl100k_base can span the cut and no
 * look-ahead reaches across it:
 * - after a line break when the next character is not white space and not `/` (o200k lets punctuation
 *   runs swallow trailing `[\r\n/]*`, so `}\n/` is one piece);
 * - inside very long lines, before a space that follows a non-space character, chosen by content (a hash
 *   of the following word) so that an edit only moves the cuts next to it.
 * Exactness is checked by a randomized test against whole-text encoding.
 */
export function splitAtSafeBoundaries(text: string, longLineCharacters = LONG_LINE_CHARACTERS): string[] {
  const pieces: string[] = [];
  let start = 0;
  let lineStart = 0;
  const length = text.length;
  // Jump from line break to line break with the native search; walk characters only inside long lines.
  while (lineStart < length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    if (lineEnd - lineStart > longLineCharacters)
      start = cutLongLine(text, lineStart, lineEnd, start, longLineCharacters, pieces);
    const next = lineEnd + 1;
    if (next < length) {
      const code = text.charCodeAt(next);
      if (!isWhiteSpace(code) && code !== SLASH) {
        pieces.push(text.slice(start, next));
        start = next;
      }
    }
    lineStart = next;
  }
  if (start < length || length === 0) pieces.push(text.slice(start));
  return pieces;
}

/** Cuts before content-chosen spaces inside one long line; returns the new start of the current piece. */
function cutLongLine(
  text: string,
  lineStart: number,
  lineEnd: number,
  start: number,
  longLineCharacters: number,
  pieces: string[],
): number {
  for (let index = lineStart + longLineCharacters + 1; index < lineEnd; index++) {
    if (
      text.charCodeAt(index) === SPACE &&
      index - start >= MINIMUM_WORD_PIECE &&
      !isWhiteSpace(text.charCodeAt(index - 1)) &&
      wordHash(text, index + 1) % WORD_CUT_MODULUS === 0
    ) {
      pieces.push(text.slice(start, index));
      start = index;
    }
  }
  return start;
}

const SPACE = 32;
const SLASH = 47;
const LONG_LINE_CHARACTERS = 1024;
const MINIMUM_WORD_PIECE = 64;
const WORD_CUT_MODULUS = 16;

/** Unicode White_Space, as the tokenizer's `\s` understands it (JS `\s` misses U+0085). */
function isWhiteSpace(code: number): boolean {
  if (code === SPACE || (code >= 9 && code <= 13)) return true;
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** FNV-1a over up to eight characters of the word that starts at `from`. */
function wordHash(text: string, from: number): number {
  let hash = 0x811c9dc5;
  const end = Math.min(text.length, from + 8);
  for (let index = from; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === SPACE) break;
    hash = Math.imul(hash ^ code, 0x01000193) >>> 0;
  }
  return hash;
}
