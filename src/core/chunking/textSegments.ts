/** A half-open range `[start, end)` of UTF-16 offsets into a document. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** A blank line: a line break, then one or more lines holding only white space. */
const BLANK_LINE = /\n(?:[^\S\n]*\n)+/g;

/**
 * A sentence end that needs white space (or the end of the text) after it: `.`, `!`, `?` runs, then closing
 * quotes or brackets. Korean `다.` / `요.` endings are this case.
 */
const LATIN_SENTENCE_END = /[.!?]+["'”’»)\]]*(?=\s|$)/g;

/** CJK full-width sentence ends, which are usually followed by the next sentence without a space. */
const CJK_SENTENCE_END = /[。！？｡]+[」』）〕】"”’]*/g;

/** Abbreviations whose period rarely ends a sentence; a single letter (an initial) is treated the same. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'e.g',
  'i.e',
  'cf',
  'fig',
  'approx',
]);

const WORD = /\S+/g;

/** Paragraphs inside `range`: the text between blank lines, trimmed of white space; empty ones are skipped. */
export function paragraphRanges(text: string, range: TextRange): TextRange[] {
  const cuts: TextRange[] = [];
  const pattern = new RegExp(BLANK_LINE.source, 'g');
  pattern.lastIndex = range.start;
  for (let match = pattern.exec(text); match && match.index < range.end; match = pattern.exec(text)) {
    cuts.push({ start: match.index, end: Math.min(range.end, match.index + match[0].length) });
  }
  return piecesBetween(text, range, cuts);
}

/**
 * Sentences inside `range` (call it on one paragraph): cut after `.!?` followed by white space (skipping
 * common abbreviations and initials) and after the CJK marks `。！？`. Each sentence keeps its end mark;
 * white space between sentences belongs to none of them.
 */
export function sentenceRanges(text: string, range: TextRange): TextRange[] {
  const slice = text.slice(range.start, range.end);
  const ends = new Set<number>();
  for (const match of slice.matchAll(new RegExp(LATIN_SENTENCE_END.source, 'g'))) {
    const index = match.index ?? 0;
    if (!isAbbreviation(slice, index)) ends.add(index + match[0].length);
  }
  for (const match of slice.matchAll(new RegExp(CJK_SENTENCE_END.source, 'g')))
    ends.add((match.index ?? 0) + match[0].length);
  const cuts = [...ends]
    .sort((left, right) => left - right)
    .map((end) => ({ start: range.start + end, end: range.start + end }));
  return piecesBetween(text, range, cuts);
}

/** Words (runs of non-white-space) inside `range`. */
export function wordRanges(text: string, range: TextRange): TextRange[] {
  const slice = text.slice(range.start, range.end);
  const words: TextRange[] = [];
  for (const match of slice.matchAll(new RegExp(WORD.source, 'g'))) {
    const start = range.start + (match.index ?? 0);
    words.push({ start, end: start + match[0].length });
  }
  return words;
}

/** Number of words (runs of non-white-space). Scripts written without spaces count a run as one word. */
export function countWords(text: string): number {
  let count = 0;
  for (const _match of text.matchAll(new RegExp(WORD.source, 'g'))) count++;
  return count;
}

/** Offsets of the code point boundaries strictly inside `range` (never between the halves of a surrogate pair). */
export function codePointCuts(text: string, range: TextRange): number[] {
  const cuts: number[] = [];
  let index = range.start;
  while (index < range.end) {
    const code = text.codePointAt(index) ?? 0;
    index += code > 0xffff ? 2 : 1;
    if (index < range.end) cuts.push(index);
  }
  return cuts;
}

/** The pieces of `range` between the given cuts, trimmed of white space, empty pieces skipped. */
function piecesBetween(text: string, range: TextRange, cuts: readonly TextRange[]): TextRange[] {
  const pieces: TextRange[] = [];
  let start = range.start;
  for (const cut of cuts) {
    pushTrimmed(text, start, cut.start, pieces);
    start = cut.end;
  }
  pushTrimmed(text, start, range.end, pieces);
  return pieces;
}

function pushTrimmed(text: string, start: number, end: number, pieces: TextRange[]): void {
  while (start < end && isSpace(text, start)) start++;
  while (end > start && isSpace(text, end - 1)) end--;
  if (end > start) pieces.push({ start, end });
}

function isSpace(text: string, index: number): boolean {
  return /\s/.test(text[index] ?? '');
}

/** True when the period at `index` ends an abbreviation or an initial ("Dr.", "e.g.", "J."), not a sentence. */
function isAbbreviation(slice: string, index: number): boolean {
  if (slice[index] !== '.' || slice[index + 1] === '.') return false;
  let wordStart = index;
  while (wordStart > 0 && !/\s/.test(slice[wordStart - 1] ?? '')) wordStart--;
  const word = slice.slice(wordStart, index).replace(/^["'“‘(\[]+/, '');
  if (/^\p{Lu}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}
