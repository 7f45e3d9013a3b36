import { splitAtSafeBoundaries } from './safeBoundaries';

/** A text cut at safe boundaries (see `splitAtSafeBoundaries`) with each piece's token count. */
export interface CountedPieces {
  readonly text: string;
  /** Where each piece starts, ascending; the first is 0. */
  readonly starts: readonly number[];
  readonly counts: readonly number[];
  readonly total: number;
}

const LINE_FEED = 10;

/** Cuts `text` and counts every piece. */
export function countPieces(text: string, countPiece: (piece: string) => number): CountedPieces {
  const starts: number[] = [];
  const counts: number[] = [];
  let offset = 0;
  let total = 0;
  for (const piece of splitAtSafeBoundaries(text)) {
    const count = countPiece(piece);
    starts.push(offset);
    counts.push(count);
    offset += piece.length;
    total += count;
  }
  return { text, starts, counts, total };
}

/**
 * The pieces of `text` as `splitAtSafeBoundaries(text)` cuts them, found from an earlier version: only the window
 * between the last cut before the change and the first cut after it is cut and counted again; the pieces outside
 * are taken over with their counts. Undefined when less than half the text is unchanged (count it afresh).
 *
 * Why the pieces are the same: a cut after a line break (the next character not white space and not `/`) is made
 * whatever came before, and the cutting after it depends only on the text after it. So a line-break cut whose two
 * characters lie in the unchanged prefix starts the same pieces in both versions up to the change, and one whose two
 * characters lie in the unchanged suffix is a cut of the new text after which its pieces are the old ones.
 */
export function recountEdited(
  previous: CountedPieces,
  text: string,
  countPiece: (piece: string) => number,
): CountedPieces | undefined {
  const old = previous.text;
  if (old === text) return previous;
  const common = Math.min(old.length, text.length);
  const prefix = commonLength(common, (length) => old.slice(0, length) === text.slice(0, length));
  const suffix = commonLength(
    common - prefix,
    (length) => old.slice(old.length - length) === text.slice(text.length - length),
  );
  if (prefix + suffix < common / 2) return undefined;

  const { starts, counts } = previous;
  // Last piece starting at or before prefix - 1 that follows a line break (or starts the text).
  let first = lastAtOrBefore(starts, prefix - 1);
  while (first > 0 && old.charCodeAt((starts[first] ?? 0) - 1) !== LINE_FEED) first--;
  const restart = first > 0 ? (starts[first] ?? 0) : 0;
  if (first < 0) first = 0;
  // First piece starting in the suffix (its preceding character in the suffix too) that follows a line break.
  const delta = text.length - old.length;
  let resume = lastAtOrBefore(starts, old.length - suffix) + 1;
  while (resume < starts.length && old.charCodeAt((starts[resume] ?? 0) - 1) !== LINE_FEED) resume++;
  const windowEnd = resume < starts.length ? (starts[resume] ?? 0) + delta : text.length;

  const newStarts = starts.slice(0, first);
  const newCounts = counts.slice(0, first);
  let offset = restart;
  for (const piece of splitAtSafeBoundaries(text.slice(restart, windowEnd))) {
    if (piece === '') continue;
    newStarts.push(offset);
    newCounts.push(countPiece(piece));
    offset += piece.length;
  }
  for (let index = resume; index < starts.length; index++) {
    newStarts.push((starts[index] ?? 0) + delta);
    newCounts.push(counts[index] ?? 0);
  }
  let total = 0;
  for (const count of newCounts) total += count;
  return { text, starts: newStarts, counts: newCounts, total };
}

/**
 * The longest length ≤ `limit` for which `equal(length)` holds (equal is monotonic: true up to some length), by
 * binary search over native string comparisons: much faster than comparing character by character in a loop.
 */
function commonLength(limit: number, equal: (length: number) => boolean): number {
  let low = 0;
  let high = limit;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (equal(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Index of the last value ≤ `target` in ascending `values` (-1 if none). */
function lastAtOrBefore(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((values[middle] ?? 0) <= target) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}
