import { LRUCache } from 'lru-cache';
import type { EncodingName } from './encodingForModel';
import { splitAtSafeBoundaries } from './safeBoundaries';

/** Counts tokens of plain text with one encoding. Special-token strings such as `<|endoftext|>` are ordinary text. */
export interface TokenCounter {
  readonly encoding: EncodingName;
  count(text: string): number;
}

/** Texts shorter than this are encoded directly: splitting and cache lookups would cost more than they save. */
const DIRECT_ENCODE_CHARACTERS = 512;

/**
 * Exact token counts that stay fast while a large prompt is edited: the text is cut at boundaries the
 * tokenizer never crosses (see `splitAtSafeBoundaries`) and each piece's count is cached by its content,
 * so a keystroke re-encodes only the piece it touched. Invariant: `count(text)` equals the length of
 * encoding `text` whole.
 */
export class ChunkedTokenCounter implements TokenCounter {
  private readonly pieceCounts: LRUCache<string, number>;

  constructor(
    readonly encoding: EncodingName,
    private readonly encodeCount: (text: string) => number,
    maxCachedCharacters = 8_000_000,
  ) {
    this.pieceCounts = new LRUCache<string, number>({
      maxSize: maxCachedCharacters,
      sizeCalculation: (_value, key) => Math.max(1, key.length),
    });
  }

  count(text: string): number {
    if (text.length < DIRECT_ENCODE_CHARACTERS) return this.encodeCount(text);
    let total = 0;
    for (const piece of splitAtSafeBoundaries(text)) {
      let pieceCount = this.pieceCounts.get(piece);
      if (pieceCount === undefined) {
        pieceCount = this.encodeCount(piece);
        this.pieceCounts.set(piece, pieceCount);
      }
      total += pieceCount;
    }
    return total;
  }
}
