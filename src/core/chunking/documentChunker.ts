import type { TokenCounter } from '../tokens/tokenCounter';
import { codePointCuts, countWords, paragraphRanges, sentenceRanges, wordRanges, type TextRange } from './textSegments';

/** One piece of a long document, sent to one map call. */
export interface DocumentChunk {
  /** 0-based position in the document. */
  readonly index: number;
  /** Invariant: `text === document.slice(start, end)`, overlap included. */
  readonly text: string;
  /** Exact token count of `text` (`counter.count(text)`); never above `maxTokens`. */
  readonly tokens: number;
  /** Words of `text` (runs of non-white-space); never above `maxWords` when it is set. */
  readonly words: number;
  /** UTF-16 offset of the first character of `text` in the document. */
  readonly start: number;
  /** UTF-16 offset just after the last character of `text`. */
  readonly end: number;
  /**
   * Where this chunk's new text begins: `[start, ownStart)` repeats whole trailing sentences of the previous
   * chunk (overlap). Equals `start` when there is no overlap.
   */
  readonly ownStart: number;
}

export interface ChunkLimits {
  /** Most tokens in one chunk, overlap included (≥ 4: one code point is at most 4 tokens). */
  readonly maxTokens: number;
  /** Tokens of whole trailing sentences of the previous chunk to repeat at the start of the next (default 0). */
  readonly overlapTokens?: number;
  /** Most words in one chunk, overlap included; unlimited when undefined. */
  readonly maxWords?: number;
}

/** Smallest `maxTokens`: one code point is at most 4 UTF-8 bytes, so at most 4 tokens, and the last-resort split always progresses. */
export const MINIMUM_CHUNK_TOKENS = 4;

/**
 * A piece that fits in a chunk on its own: a paragraph, else a sentence, else a word, else a run of
 * characters. Its own counts estimate how much it adds to a chunk; seams can merge or add a token, which
 * the exact check in `packFrom` corrects.
 */
interface Atom extends TextRange {
  readonly tokens: number;
  readonly words: number;
}

/**
 * Splits a long document into chunks of at most `maxTokens` tokens (and `maxWords` words), so each fits a
 * map call. Cuts fall on paragraph boundaries (blank lines) when paragraphs fit, else on sentence
 * boundaries (`.!?` + white space, `。！？`), else between words, and only as a last resort inside a word
 * (between code points). Consecutive paragraphs, sentences or words are packed greedily into a chunk; every
 * chunk's count is checked exactly with `counter.count`.
 *
 * What is dropped: the white space between two chunks (and around the document) belongs to neither, so
 * joining `document.slice(chunk.ownStart, chunk.end)` over all chunks gives the document without those
 * white-space runs; nothing else is lost or reordered. Deterministic: the same text and limits give the
 * same chunks. Throws a RangeError for limits that cannot be met (programmer error; settings are validated
 * by `readChunkSettings`).
 */
export function splitDocument(text: string, counter: TokenCounter, limits: ChunkLimits): DocumentChunk[] {
  const maxTokens = limits.maxTokens;
  const overlapTokens = limits.overlapTokens ?? 0;
  const maxWords = limits.maxWords ?? Number.POSITIVE_INFINITY;
  checkLimits(maxTokens, overlapTokens, maxWords);
  const measure = (range: TextRange): Measure => {
    const slice = text.slice(range.start, range.end);
    return { tokens: counter.count(slice), words: countWords(slice) };
  };
  const atoms: Atom[] = [];
  for (const paragraph of paragraphRanges(text, { start: 0, end: text.length }))
    collectAtoms(text, paragraph, 0, { measure, counter, maxTokens, maxWords }, atoms);
  const sentenceStarts = overlapTokens > 0 ? allSentenceStarts(text) : [];
  return packAtoms(text, atoms, counter, { maxTokens, maxWords, overlapTokens }, sentenceStarts);
}

function checkLimits(maxTokens: number, overlapTokens: number, maxWords: number): void {
  if (!Number.isInteger(maxTokens) || maxTokens < MINIMUM_CHUNK_TOKENS)
    throw new RangeError(`maxTokens must be an integer ≥ ${MINIMUM_CHUNK_TOKENS}, got ${maxTokens}`);
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= maxTokens)
    throw new RangeError(`overlapTokens must be an integer in [0, maxTokens), got ${overlapTokens}`);
  if (maxWords !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxWords) || maxWords < 1))
    throw new RangeError(`maxWords must be a positive integer, got ${maxWords}`);
}

/** Levels of the split hierarchy below a paragraph. */
const SENTENCE_LEVEL = 1;
const WORD_LEVEL = 2;

interface Measure {
  readonly tokens: number;
  readonly words: number;
}

interface AtomLimits {
  readonly measure: (range: TextRange) => Measure;
  readonly counter: TokenCounter;
  readonly maxTokens: number;
  readonly maxWords: number;
}

/** Appends the atoms of `range`: the range itself when it fits, else its sentences / words / characters. */
function collectAtoms(text: string, range: TextRange, level: number, limits: AtomLimits, atoms: Atom[]): void {
  const measured = limits.measure(range);
  if (measured.tokens <= limits.maxTokens && measured.words <= limits.maxWords) {
    atoms.push({ ...range, ...measured });
    return;
  }
  if (level === WORD_LEVEL) {
    splitCharacters(text, range, limits.counter, limits.maxTokens, atoms);
    return;
  }
  const parts = level < SENTENCE_LEVEL ? sentenceRanges(text, range) : wordRanges(text, range);
  // A paragraph that is one long sentence goes straight to words.
  if (parts.length === 1 && level + 1 < WORD_LEVEL) collectAtoms(text, range, level + 1, limits, atoms);
  else for (const part of parts) collectAtoms(text, part, level + 1, limits, atoms);
}

/** Last resort for one word longer than maxTokens: the longest code-point prefixes that fit, found by binary search. */
function splitCharacters(
  text: string,
  range: TextRange,
  counter: TokenCounter,
  maxTokens: number,
  atoms: Atom[],
): void {
  const cuts = [...codePointCuts(text, range), range.end];
  let start = range.start;
  let first = 0;
  while (start < range.end) {
    // cuts[first..] are the candidate ends after `start`; cuts[first] (one code point, ≤ 4 tokens) always fits.
    let low = first;
    let high = cuts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (counter.count(text.slice(start, cuts[middle])) <= maxTokens) low = middle;
      else high = middle - 1;
    }
    const end = cuts[low] ?? range.end;
    atoms.push({ start, end, tokens: counter.count(text.slice(start, end)), words: 1 });
    start = end;
    first = low + 1;
  }
}

/** Offsets where sentences start (paragraph starts included), ascending. */
function allSentenceStarts(text: string): number[] {
  const starts: number[] = [];
  for (const paragraph of paragraphRanges(text, { start: 0, end: text.length })) {
    for (const sentence of sentenceRanges(text, paragraph)) starts.push(sentence.start);
  }
  return starts;
}

interface PackLimits {
  readonly maxTokens: number;
  readonly maxWords: number;
  readonly overlapTokens: number;
}

/** Greedy packing of atoms into chunks, each verified exactly; overlap chosen from whole trailing sentences. */
function packAtoms(
  text: string,
  atoms: readonly Atom[],
  counter: TokenCounter,
  limits: PackLimits,
  sentenceStarts: readonly number[],
): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let next = 0;
  while (next < atoms.length) {
    const first = atoms[next]!;
    const previous = chunks[chunks.length - 1];
    let packed: Packed | undefined;
    for (const start of overlapStarts(text, previous, counter, limits.overlapTokens, sentenceStarts)) {
      packed = packFrom(text, atoms, next, start, counter, limits);
      if (packed) break;
    }
    // Without overlap the first atom always fits: atoms are built to fit alone.
    packed ??= packFrom(text, atoms, next, first.start, counter, limits)!;
    const end = atoms[packed.last]!.end;
    chunks.push({
      index: chunks.length,
      text: text.slice(packed.start, end),
      tokens: packed.tokens,
      words: packed.words,
      start: packed.start,
      end,
      ownStart: first.start,
    });
    next = packed.last + 1;
  }
  return chunks;
}

interface Packed {
  readonly start: number;
  readonly last: number;
  readonly tokens: number;
  readonly words: number;
}

/**
 * Packs atoms `first…` after `start` while the running estimate fits, then corrects with exact counts:
 * shrinks while the chunk is over a limit, else grows while the next atom still fits, so each chunk ends
 * where the next atom would not fit. Undefined when not even the first atom fits after `start` (only
 * possible with overlap).
 */
function packFrom(
  text: string,
  atoms: readonly Atom[],
  first: number,
  start: number,
  counter: TokenCounter,
  limits: PackLimits,
): Packed | undefined {
  let estimatedTokens = counter.count(text.slice(start, atoms[first]!.end));
  let estimatedWords = countWords(text.slice(start, atoms[first]!.end));
  let last = first;
  for (let candidate = atoms[last + 1]; candidate; candidate = atoms[last + 1]) {
    if (estimatedTokens + candidate.tokens > limits.maxTokens || estimatedWords + candidate.words > limits.maxWords)
      break;
    estimatedTokens += candidate.tokens;
    estimatedWords += candidate.words;
    last++;
  }
  const measure = (end: number): Packed | undefined => {
    const slice = text.slice(start, atoms[end]!.end);
    const tokens = counter.count(slice);
    const words = countWords(slice);
    return tokens <= limits.maxTokens && words <= limits.maxWords ? { start, last: end, tokens, words } : undefined;
  };
  const measureNext = (packed: Packed) => (packed.last + 1 < atoms.length ? measure(packed.last + 1) : undefined);
  let packed = measure(last);
  while (!packed && last > first) packed = measure(--last);
  if (!packed) return undefined;
  for (let grown = measureNext(packed); grown; grown = measureNext(grown)) packed = grown;
  return packed;
}

/**
 * Candidate starts of the next chunk inside the previous chunk's own text, longest overlap first: sentence
 * starts whose trailing text up to the previous chunk's end has at most `overlapTokens` tokens.
 */
function overlapStarts(
  text: string,
  previous: DocumentChunk | undefined,
  counter: TokenCounter,
  overlapTokens: number,
  sentenceStarts: readonly number[],
): number[] {
  if (!previous || overlapTokens === 0) return [];
  const starts: number[] = [];
  for (let index = firstAtLeast(sentenceStarts, previous.end) - 1; index >= 0; index--) {
    const start = sentenceStarts[index]!;
    if (start < previous.ownStart) break;
    if (counter.count(text.slice(start, previous.end)) > overlapTokens) break;
    starts.unshift(start);
  }
  return starts;
}

/** Index of the first value ≥ `value` in an ascending array. */
function firstAtLeast(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
