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
  /**
   * Two generations of piece counts: lookups hit `recent`, then `older` (and promote). When `recent` holds
   * more than half the budget it becomes `older` and the previous `older` is dropped — an LRU approximation
   * whose lookups are plain Map gets (an exact LRU list costs more than the counting it saves here).
   */
  private recent = new Map<string, number>();
  private older = new Map<string, number>();
  private recentCharacters = 0;

  constructor(
    readonly encoding: EncodingName,
    private readonly encodeCount: (text: string) => number,
    private readonly maxCachedCharacters = 8_000_000,
  ) {}

  count(text: string): number {
    if (text.length < DIRECT_ENCODE_CHARACTERS) return this.encodeCount(text);
    let total = 0;
    for (const piece of splitAtSafeBoundaries(text)) total += this.pieceCount(piece);
    return total;
  }

  private pieceCount(piece: string): number {
    const recent = this.recent.get(piece);
    if (recent !== undefined) return recent;
    const count = this.older.get(piece) ?? this.encodeCount(piece);
    this.recent.set(piece, count);
    this.recentCharacters += piece.length;
    if (this.recentCharacters > this.maxCachedCharacters / 2) {
      this.older = this.recent;
      this.recent = new Map();
      this.recentCharacters = 0;
    }
    return count;
  }
}
